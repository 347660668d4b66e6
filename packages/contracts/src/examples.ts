/**
 * The values the published contracts show as examples, taken from the seed catalogue
 * (services/intake/data) that the simulator acts out: a request for a certificate of marital status
 * (Giấy xác nhận tình trạng hôn nhân, three working days) received at the counter of Phường Việt Trì
 * on Tuesday 10/03/2026 at 09:12, due on Friday 13/03/2026 at 09:12. A test holds every code and
 * name here to the catalogue; the due instant is the calendar's (`pnpm calendar due --from
 * 2026-03-10T09:12:00+07:00 --days 3`).
 */
export const examples = {
  province: { code: "H44", name: "Tỉnh Phú Thọ" },
  provincialCentre: { code: "H44.90", name: "Trung tâm Phục vụ hành chính công tỉnh Phú Thọ" },
  department: { code: "H44.07", name: "Sở Công Thương" },
  unit: {
    code: "H44.100",
    name: "Phường Việt Trì",
    level: "ward",
    parentCode: "H44",
    electronicId: "000.00.100.H44",
  },
  procedure: {
    code: "1.004873",
    name: "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
    field: "Hộ tịch",
  },
  dossier: {
    id: "5f0c2a9e-7d41-4c8b-9a36-2e1d8b4f6c10",
    code: "000.00.100.H44-260310-0007",
    receivedAt: "2026-03-10T09:12:00.000+07:00",
    dueAt: "2026-03-13T09:12:00.000+07:00",
    dueSoonAt: "2026-03-12T09:12:00.000+07:00",
  },
  submission: {
    id: "b6a1d7e2-3c4f-4e58-8a9b-0c1d2e3f4a5b",
    portalRef: "DVCQG-2026-03-0184517",
    submittedAt: "2026-03-09T20:41:00.000+07:00",
  },
  applicant: {
    name: "Nguyễn Văn An",
    identityNumber: "025090001234",
    phone: "0912345678",
    address: "Khu 5, Phường Việt Trì, tỉnh Phú Thọ",
  },
  staff: {
    reception: "reception@H44.100",
    specialist: "specialist@H44.100",
    leader: "leader@H44.100",
  },
  /** The procedure's internal workflow (quy trình nội bộ): its steps, their roles and budgets. */
  steps: [
    { id: "receive", name: "Tiếp nhận hồ sơ", unitRole: "receiving", budget: { amount: 0.25, unit: "days" } },
    { id: "review", name: "Thẩm định hồ sơ", unitRole: "handling", budget: { amount: 2.25, unit: "days" } },
    {
      id: "approve",
      name: "Lãnh đạo UBND xã/phường phê duyệt",
      unitRole: "deciding",
      budget: { amount: 0.25, unit: "days" },
    },
    { id: "return", name: "Trả kết quả", unitRole: "receiving", budget: { amount: 0.25, unit: "days" } },
  ],
  /** What the applicant files for this procedure (tên giấy tờ). */
  documents: [
    { name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", copies: 1, original: true },
    { name: "Căn cước công dân", copies: 1, original: false },
  ],
} as const;
