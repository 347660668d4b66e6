import type { Random } from "./random.js";

// Common Vietnamese family, middle and given names: applicants look like the people a centre serves.
const FAMILY = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Phạm",
  "Hoàng",
  "Phan",
  "Vũ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
  "Đinh",
  "Hà",
  "Triệu",
];
const MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công"];
const MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Hồng"];
const GIVEN_M = [
  "An",
  "Bình",
  "Cường",
  "Dũng",
  "Hải",
  "Hùng",
  "Khánh",
  "Long",
  "Nam",
  "Phong",
  "Quân",
  "Sơn",
  "Thắng",
  "Tuấn",
  "Việt",
];
const GIVEN_F = [
  "Anh",
  "Chi",
  "Hà",
  "Hạnh",
  "Hoa",
  "Hương",
  "Lan",
  "Linh",
  "Mai",
  "Nga",
  "Phương",
  "Thảo",
  "Trang",
  "Vân",
  "Yến",
];

export interface Applicant {
  fullName: string;
  /** Căn cước: 12 digits; 025 is Phú Thọ's province prefix. */
  identityNumber: string;
  phone: string;
  address: string;
}

export function applicant(rng: Random, communeName: string): Applicant {
  const female = rng.chance(0.5);
  const fullName = [
    rng.pick(FAMILY),
    rng.pick(female ? MIDDLE_F : MIDDLE_M),
    rng.pick(female ? GIVEN_F : GIVEN_M),
  ].join(" ");
  const gender = female ? rng.pick(["1", "3"]) : rng.pick(["0", "2"]);
  const identityNumber = `025${gender}${String(rng.int(40, 99)).padStart(2, "0")}${String(rng.int(0, 999_999)).padStart(6, "0")}`;
  const phone = `0${rng.pick(["9", "8", "3", "7"])}${String(rng.int(0, 99_999_999)).padStart(8, "0")}`;
  const address = `Số ${rng.int(1, 300)}, tổ ${rng.int(1, 20)}, ${communeName}, tỉnh Phú Thọ`;
  return { fullName, identityNumber, phone, address };
}
