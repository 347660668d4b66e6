import type { WorkingCalendar } from "@tthc/calendar";
import { Agenda } from "./agenda.js";
import { type ProcessingView, ServiceApi, StepFailed } from "./api.js";
import { runAgenda } from "./engine.js";
import { isoLocal, provinceCalendars } from "./plan.js";
import { loadProvince, type Province } from "./province.js";
import {
  type ActionSeen,
  type DossierSeen,
  type DriveReport,
  seenOf,
  unitsBy,
  verdictSeen,
} from "./report.js";
import type { DossierScript, ScriptAction } from "./script.js";
import { type RunningClock, type SettableClock, type Timeline, timelineOf } from "./timeline.js";
import { instantOf, needsDue } from "./timing.js";

export interface DriverOptions {
  intakeUrl: string;
  processingUrl: string;
  /** Distinguishes this run's portal references and idempotency keys from another run's. */
  runId: string;
  /**
   * The clock the services share: a ManualClock in this process (the driver sets it), or a clock
   * that runs by itself (service-kit's shiftedClock from CLOCK, CLOCK_ORIGIN, CLOCK_SPEED; the
   * machine's clock when omitted).
   */
  clock?: SettableClock | RunningClock;
  /** No action after this instant (epoch ms or ISO 8601); what is left is reported as pending. */
  until?: number | string;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /**
   * Action instants are rounded up to this grid where the script allows, and the portal pushes
   * online submissions on it (with their own submission instant): fewer distinct instants, bigger
   * batches on a manual clock. A coarse grid moves short procedures' actions noticeably. Default 1 min.
   */
  grainMs?: number;
  /**
   * A dossier whose arrival lies more than this before the clock's reading when the run starts is
   * skipped (a counter cannot receive in the past): a run on a running clock acts from now on.
   * Arrivals during the run are never skipped, only acted late if the driver lags. Default 15 min.
   */
  lateArrivalMs?: number;
  /** The catalogue the scripts were planned from (default: intake's seed files). */
  province?: Province;
  signingKey?: string;
  /** Dossiers whose story is over (or left pending), of all. */
  onProgress?: (done: number, total: number) => void;
  /**
   * How long one step keeps being retried while its service gives no answer (or 502/503/504),
   * as while it restarts. 0 fails at once. Default 60 s.
   */
  retryForMs?: number;
  /** Longest wait for one answer before the request counts as unanswered. Default 30 s. */
  requestTimeoutMs?: number;
  /** Longest wait for processing to show the deadline monitor's data after a pause. Default 30 s. */
  settleTimeoutMs?: number;
  /** On a manual clock: called before the clock moves on to the next instant of the agenda. */
  beforeReach?: (at: number) => Promise<void>;
}

/** One dossier being acted out: its place in the agenda and what the driver knows of it. */
interface Run {
  at: number;
  seq: number;
  script: DossierScript;
  seen: DossierSeen;
  calendar: WorkingCalendar;
  /** The next action's index in the script. */
  index: number;
  /** The instant of the previous action. */
  previousAt: number;
  /** The applicant's instant of the next action (`suppliedAt`, `paidAt`), if it has one. */
  applicantAt: number | null;
  /** The due instant the services showed last. */
  dueAt: number | null;
  /**
   * After the clock was resumed (a supplement or payment received), the sla sequence processing
   * showed then: its new due instant comes with a higher one. Null when nothing is awaited.
   */
  awaitingSlaAbove: number | null;
  /** The next entry is a look at processing (for the new due instant), not a script action. */
  look: boolean;
  looks: number;
  view: ProcessingView | null;
}

/**
 * The look for a new due instant comes this long after the action that resumed the clock; after
 * MAX_LOOKS looks that did not find it, the driver waits for it without moving the clock.
 */
const LOOK_AFTER_MS = 60_000;
const MAX_LOOKS = 1;

const DOCUMENTS = [{ name: "Tờ khai theo mẫu", copies: 1, original: true }];

/**
 * Acts planned dossiers out through the real APIs, in time order on the services' clock, as a
 * province's centres and applicants would: online submissions and counter receptions (intake),
 * acceptance or refusal, then assignment, transfers, supplements, payments, extensions, decisions,
 * returns, withdrawals and stops (processing). Every request is a real HTTP call, sent when the
 * services' clock reads the action's instant; later instants are placed from what the services
 * answered (the due instant processing shows). See engine.ts for how time moves.
 */
export class ProvinceDriver {
  private readonly api: ServiceApi;
  private readonly timeline: Timeline;
  private readonly province: Province;
  /** The clock's reading when the run started. */
  private startedAt = 0;

  constructor(private readonly options: DriverOptions) {
    this.api = new ServiceApi(options);
    this.timeline = timelineOf(options.clock ?? { nowMs: Date.now, realDelayUntil: (t) => t - Date.now() });
    this.province = options.province ?? loadProvince();
  }

  async run(scripts: readonly DossierScript[]): Promise<DriveReport> {
    const report: DriveReport = {
      runId: this.options.runId,
      firstAt: null,
      lastAt: null,
      units: {},
      dossiers: [],
      failures: [],
      retries: 0,
    };
    this.api.retries = 0;
    this.startedAt = this.timeline.nowMs();
    const calendars = provinceCalendars(this.province);
    const agenda = new Agenda<Run>();
    const grain = this.options.grainMs ?? 60_000;
    for (const script of scripts) {
      const first = script.actions[0];
      if (first?.when.kind !== "at") throw new RangeError(`dossier ${script.seq} has no arrival instant`);
      const seen = seenOf(script);
      report.dossiers.push(seen);
      // The portal pushes an online submission on the grid, with its own submission instant; a
      // counter receives at the instant itself (its hours end exactly).
      const at = script.channel === "online" ? Math.ceil(first.when.at / grain) * grain : first.when.at;
      agenda.push({
        at,
        seq: script.seq,
        script,
        seen,
        calendar: calendars.working(script.unitCode, first.when.at),
        index: 0,
        previousAt: at,
        applicantAt: null,
        dueAt: null,
        awaitingSlaAbove: null,
        look: false,
        looks: 0,
        view: null,
      });
    }
    let done = 0;
    const ended = () => this.options.onProgress?.(++done, scripts.length);
    const u = this.options.until;
    const untilMs = u === undefined ? Number.POSITIVE_INFINITY : typeof u === "number" ? u : Date.parse(u);
    if (Number.isNaN(untilMs)) throw new RangeError(`until is not an instant: ${String(u)}`);
    const left = await runAgenda(agenda, {
      timeline: this.timeline,
      until: untilMs,
      concurrency: this.options.concurrency ?? 8,
      ...(this.options.beforeReach ? { beforeReach: this.options.beforeReach } : {}),
      step: async (run) => {
        const next = await this.step(run, report);
        if (next === null) ended();
        return next;
      },
    });
    for (const run of left) {
      const action = run.script.actions[run.index];
      if (action) run.seen.pending = { do: action.do, at: isoLocal(run.at) };
      ended();
    }
    report.dossiers.sort((a, b) => a.seq - b.seq);
    report.units = unitsBy(report, "receiving");
    report.retries = this.api.retries;
    return report;
  }

  /** Acts on one agenda entry; the next instant of the dossier, or null when its story is over. */
  private async step(run: Run, report: DriveReport): Promise<number | null> {
    const now = this.timeline.nowMs();
    if (run.look) {
      // One look a minute later, while other dossiers go on; at the next one, wait for it here.
      if (!(await this.settle(run, now, run.looks++ >= MAX_LOOKS))) return now + LOOK_AFTER_MS;
      run.look = false;
      run.looks = 0;
      return Math.max(now, this.placeNext(run));
    }
    const action = run.script.actions[run.index] as ScriptAction;
    if (
      run.index === 0 &&
      Date.parse(run.script.arrivesAt) < this.startedAt - (this.options.lateArrivalMs ?? 15 * 60_000)
    ) {
      run.seen.state = "skipped";
      return null;
    }
    const record: ActionSeen = { do: action.do, plannedAt: isoLocal(run.at), at: isoLocal(now), status: 200 };
    run.seen.actions.push(record);
    if (report.firstAt === null || record.at < report.firstAt) report.firstAt = record.at;
    if (report.lastAt === null || record.at > report.lastAt) report.lastAt = record.at;
    const started = performance.now();
    try {
      await this.perform(run, action, now, record);
      record.tookMs = Math.round(performance.now() - started);
    } catch (err) {
      const failed = err instanceof StepFailed ? err : new StepFailed(action.do, 0, String(err));
      record.status = failed.status;
      report.failures.push({ seq: run.seq, step: failed.step, status: failed.status, body: failed.body });
      return null;
    }
    run.previousAt = now;
    run.index++;
    const next = run.script.actions[run.index];
    if (next === undefined) return null;
    if (needsDue(next.when) && run.awaitingSlaAbove !== null) {
      run.look = true;
      return now + LOOK_AFTER_MS;
    }
    return this.placeNext(run);
  }

  /** The instant of the next action, from the previous one and the due instant last seen. */
  private placeNext(run: Run): number {
    const next = run.script.actions[run.index] as ScriptAction;
    run.applicantAt =
      next.applicantAfter === undefined ? null : run.previousAt + next.applicantAfter * 60_000;
    return instantOf(next.when, {
      previousAt: run.applicantAt ?? run.previousAt,
      dueAt: run.dueAt,
      calendar: run.calendar,
      grainMs: this.options.grainMs ?? 60_000,
    });
  }

  /**
   * Reads processing for the deadline monitor's data after the resumption (a higher sla sequence
   * with a due instant), so that the next action is placed from the new due instant. Once, or with
   * `wait` until it shows (at most `settleTimeoutMs`). Whether it has shown.
   */
  private async settle(run: Run, now: number, wait: boolean): Promise<boolean> {
    const id = run.seen.dossierId as string;
    const record: ActionSeen = { do: "look", plannedAt: isoLocal(run.at), at: isoLocal(now), status: 200 };
    run.seen.actions.push(record);
    const started = performance.now();
    const deadline = Date.now() + (this.options.settleTimeoutMs ?? 30_000);
    for (let pause = 10; ; pause = Math.min(250, pause * 2)) {
      const v = await this.api.view(id, run.script.unitCode);
      this.saw(run, v, record);
      record.tookMs = Math.round(performance.now() - started);
      if (run.awaitingSlaAbove === null) return true;
      if (!wait) return false;
      if (Date.now() > deadline) {
        record.note = "the new due instant did not show in time";
        run.awaitingSlaAbove = null;
        return true;
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** Takes in what a processing answer shows. */
  private saw(run: Run, v: ProcessingView, record: ActionSeen): void {
    run.view = v;
    run.seen.state = v.state;
    record.state = v.state;
    record.version = v.version;
    const hasSeq = v.slaSequence !== undefined;
    record.slaSequence = v.slaSequence ?? null;
    if (v.dueAt === undefined) return;
    record.dueAt = v.dueAt;
    if (run.awaitingSlaAbove !== null) {
      // Without a sequence in the view, the first look after the resumption is all there is.
      const newer = !hasSeq || (v.slaSequence ?? -1) > run.awaitingSlaAbove;
      if (!newer || v.dueAt === null) return;
      run.awaitingSlaAbove = null;
    }
    run.seen.dueAt = v.dueAt;
    run.dueAt = v.dueAt === null ? null : Date.parse(v.dueAt);
  }

  private async perform(run: Run, a: ScriptAction, now: number, record: ActionSeen): Promise<void> {
    const s = run.script;
    const seen = run.seen;
    const reception = this.api.auth(s.unitCode, ["reception"]);
    const submission = () => this.api.intake(`/v1/submissions/${seen.submissionId}`);
    const applicant = {
      name: s.applicant.fullName,
      identityNumber: s.applicant.identityNumber,
      phone: s.applicant.phone,
      address: s.applicant.address,
    };
    switch (a.do) {
      case "submit": {
        // The portal's submission instant: the planned one, never after the services' clock.
        const submittedAt = isoLocal(Math.min(Date.parse(s.arrivesAt), now));
        record.applicantAt = submittedAt;
        const body = await this.api.call("submit", this.api.intake("/v1/submissions"), {
          headers: reception,
          body: {
            portalRef: `SIM-${this.options.runId}-${s.seq}`,
            procedureCode: s.procedureCode,
            receivingUnitCode: s.unitCode,
            applicant,
            submittedAt,
            documents: DOCUMENTS,
          },
        });
        seen.submissionId = String(body.id ?? body.submissionId);
        seen.submittedAt = submittedAt;
        seen.state = record.state = String(body.state ?? "submitted");
        return;
      }
      case "receive": {
        const receipt = await this.api.call("receive", this.api.intake("/v1/dossiers"), {
          headers: { ...reception, "idempotency-key": `sim-${this.options.runId}-${s.seq}` },
          body: {
            channel: s.channel,
            procedureCode: s.procedureCode,
            receivingUnitCode: s.unitCode,
            applicant,
            documents: DOCUMENTS,
            ...(s.channel === "postal" ? { requestedReturnChannel: "postal" } : {}),
          },
        });
        this.received(run, receipt, record);
        return;
      }
      case "accept": {
        const receipt = await this.api.call("accept", `${submission()}/accept`, {
          headers: reception,
          body: {},
        });
        this.received(run, receipt, record);
        return;
      }
      case "refuse":
        await this.api.decideSubmission(
          seen.submissionId as string,
          "refuse",
          { reasons: ["Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị"] },
          reception,
          "refused",
        );
        seen.state = record.state = "refused";
        return;
      case "request-submission-supplement":
        await this.api.decideSubmission(
          seen.submissionId as string,
          "request-supplement",
          { missingItems: ["Bản sao giấy tờ chứng minh nơi cư trú"], reason: "Hồ sơ chưa đầy đủ thành phần" },
          reception,
          "awaiting_supplement",
        );
        seen.state = record.state = "awaiting_supplement";
        return;
      case "supply-submission": {
        const suppliedAt = isoLocal(now);
        record.applicantAt = suppliedAt;
        await this.api.decideSubmission(
          seen.submissionId as string,
          "supplement",
          { suppliedAt },
          reception,
          "submitted",
        );
        seen.state = record.state = "submitted";
        return;
      }
      case "stop-submission":
        await this.api.decideSubmission(
          seen.submissionId as string,
          "stop",
          { reason: "supplement-lapsed", explanation: "Quá hạn bổ sung hồ sơ" },
          reception,
          "stopped",
        );
        seen.state = record.state = "stopped";
        return;
      default:
        return this.process(run, a, now, record);
    }
  }

  /** The receipt (form 01): the dossier is received and its clock starts. */
  private received(run: Run, receipt: Record<string, unknown>, record: ActionSeen): void {
    const seen = run.seen;
    seen.dossierId = String(receipt.dossierId);
    seen.code = String(receipt.code);
    seen.receivedAt = String(receipt.receivedAt);
    seen.state = record.state = "received";
    if (typeof receipt.dueAt === "string") {
      seen.dueAt = record.dueAt = receipt.dueAt;
      run.dueAt = Date.parse(receipt.dueAt);
    }
  }

  /** One action at processing, by the unit that acts (the holder, or the counter that received). */
  private async process(run: Run, a: ScriptAction, now: number, record: ActionSeen): Promise<void> {
    const s = run.script;
    const seen = run.seen;
    // Before processing's first answer, the dossier is as intake received it: version 1 at the
    // receiving unit (act() reads it again if processing says otherwise or does not know it yet).
    const d: ProcessingView = run.view ?? {
      id: seen.dossierId as string,
      version: 1,
      state: "received",
      currentUnitCode: s.unitCode,
      receivingUnitCode: s.unitCode,
      currentStep: null,
      steps: [],
      dueAt: seen.dueAt,
    };
    const act = async (body: Record<string, unknown>, unit = d.currentUnitCode) => {
      const v = await this.api.act(d, a.do, body, unit);
      this.saw(run, v, record);
      return v;
    };
    switch (a.do) {
      case "assign":
        await act({ assigneeStaffId: `cb-${d.currentUnitCode}-01`, assigneeName: "Cán bộ mô phỏng" });
        return;
      case "transfer": {
        const v = await act({
          note: `Chuyển bước ${a.toStepId ?? "tiếp theo"}`,
          ...(a.toStepId ? { toStepId: a.toStepId } : {}),
          ...(a.toUnitCode ? { toUnitCode: a.toUnitCode } : {}),
        });
        if (v.currentUnitCode !== d.currentUnitCode) {
          seen.transfers++;
          if (!seen.units.includes(v.currentUnitCode)) seen.units.push(v.currentUnitCode);
        }
        return;
      }
      case "request-supplement":
        if (run.dueAt !== null && now > run.dueAt) seen.supplementsAfterDue++;
        await act({
          missingItems: ["Bản sao giấy tờ chứng minh nơi cư trú"],
          reason: "Hồ sơ chưa đầy đủ thành phần",
        });
        seen.supplements++;
        return;
      case "receive-supplement":
      case "receive-payment": {
        const at = isoLocal(run.applicantAt ?? now);
        record.applicantAt = at;
        const body =
          a.do === "receive-supplement"
            ? { suppliedAt: at }
            : { amountVnd: 50_000, method: "online", paidAt: at };
        const v = await act(body, s.unitCode);
        if (a.do === "receive-payment") seen.payments++;
        // The clock runs again: the deadline monitor publishes the new due instant.
        run.awaitingSlaAbove = v.slaSequence ?? -1;
        run.dueAt = null;
        return;
      }
      case "request-payment":
        await act({
          obligations: [{ kind: "charge", description: "Lệ phí giải quyết thủ tục", amountVnd: 50_000 }],
        });
        return;
      case "extend": {
        if (run.dueAt === null) {
          record.note = "no due instant shown: no apology sent";
          record.status = 0;
          return;
        }
        const newDueAt = isoLocal(run.calendar.addWorkingMinutes(run.dueAt, a.extendByMinutes ?? 900));
        try {
          await act({ newDueAt, reason: "Cần thêm thời gian xác minh", apologyLetterRef: `XL-${s.seq}` });
          seen.extension = "granted";
        } catch (err) {
          // Too close to the due instant: refused, and the story goes on.
          if (!(err instanceof StepFailed) || err.status !== 409) throw err;
          seen.extension = "refused";
          record.status = 409;
          record.note = err.code ?? "refused";
        }
        return;
      }
      case "resolve": {
        seen.dueAtResolution = run.dueAt === null ? null : isoLocal(run.dueAt);
        seen.resolvedAfterDue = run.dueAt === null ? null : now > run.dueAt;
        const refused = a.outcome === "refused";
        const v = await act({
          outcome: refused ? "refused" : "approved",
          ...(refused ? { refusalReasons: ["Không đủ điều kiện theo quy định"] } : {}),
          electronicResult: a.electronicResult ?? false,
        });
        seen.resolvedAt = isoLocal(now);
        seen.outcome = refused ? "refused" : "approved";
        seen.electronicResult = a.electronicResult ?? false;
        seen.resolvedAtShown = v.resolvedAt ?? null;
        // The due instant processing held when it resolved: its answer's, else the one shown before.
        const due = v.dueAt ?? seen.dueAtResolution;
        seen.verdict = verdictSeen(seen.resolvedAtShown ?? seen.resolvedAt, due, {
          asked: seen.supplements,
          afterDue: seen.supplementsAfterDue + (v.lateSince ? 1 : 0),
        });
        return;
      }
      case "return":
        await act({ returnChannel: a.returnChannel ?? "counter" }, s.unitCode);
        seen.returnedAt = isoLocal(now);
        return;
      case "withdraw":
        await act({ reason: "Công dân đề nghị rút hồ sơ" }, s.unitCode);
        return;
      case "stop": {
        const reason = a.reason ?? "stop-notice";
        const v = await act(
          {
            reason,
            explanation:
              reason === "withdrawn"
                ? "Rút hồ sơ theo đề nghị của công dân"
                : reason === "supplement-lapsed"
                  ? "Quá hạn bổ sung hồ sơ"
                  : "Hồ sơ không đủ điều kiện tiếp tục giải quyết",
            ...(reason === "stop-notice" ? { stopNoticeRef: `TB-${s.seq}` } : {}),
          },
          reason === "withdrawn" ? s.unitCode : d.currentUnitCode,
        );
        seen.stoppedAt = isoLocal(now);
        seen.stoppedAtShown = v.stoppedAt ?? null;
        seen.stopReason = reason;
        return;
      }
      default:
        throw new StepFailed(a.do, 0, `unknown action ${a.do}`);
    }
  }
}
