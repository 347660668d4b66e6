import { DEV_SIGNING_KEY, type Role, signToken } from "@tthc/auth";
import type { DossierScript } from "./plan.js";
import { isTransientStatus, lostActionOutcome, NO_ANSWER, retryDelay } from "./retry.js";

export interface DriverOptions {
  intakeUrl: string;
  processingUrl: string;
  /** Dossiers acted out at once. */
  concurrency?: number;
  signingKey?: string;
  /** Distinguishes this run's portal references and idempotency keys from another run's. */
  runId: string;
  onProgress?: (done: number, total: number) => void;
  /**
   * How long one step keeps being retried while its service gives no answer (or 502/503/504),
   * as while it restarts. 0 fails at once. Default 60 s.
   */
  retryForMs?: number;
  /** Longest wait for one answer before the request counts as unanswered. Default 30 s. */
  requestTimeoutMs?: number;
}

/** What the driver did, unit by unit: the statistics must show the same. */
export interface UnitReport {
  received: { online: number; direct: number; postal: number };
  refusedAtReception: number;
  resolved: number;
  approved: number;
  refused: number;
  returned: number;
  withdrawn: number;
  open: number;
  transfers: number;
  supplements: number;
  payments: number;
  extensions: number;
}

export interface DriveReport {
  runId: string;
  units: Record<string, UnitReport>;
  dossiers: { seq: number; dossierId: string | null; code: string | null; unitCode: string; fate: string }[];
  failures: { seq: number; step: string; status: number; body: unknown }[];
  /** Requests sent again because the first got no answer or a 502/503/504. */
  retries: number;
}

const emptyUnit = (): UnitReport => ({
  received: { online: 0, direct: 0, postal: 0 },
  refusedAtReception: 0,
  resolved: 0,
  approved: 0,
  refused: 0,
  returned: 0,
  withdrawn: 0,
  open: 0,
  transfers: 0,
  supplements: 0,
  payments: 0,
  extensions: 0,
});

class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly body: unknown,
    /** The step was sent more than once: an earlier try may have been applied. */
    readonly retried = false,
  ) {
    super(`${step} answered ${status}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ProcessingView {
  id: string;
  version: number;
  state: string;
  currentUnitCode: string;
  receivingUnitCode: string;
  stepIndex?: number;
  currentStep: { id: string; unitCode: string } | null;
  steps: { id: string; unitCode: string }[];
  dueAt: string;
}

/**
 * Acts a planned day out through the real APIs, as a province's centres would: reception at the
 * counter or acceptance of online submissions (intake), then assignment, transfers, supplements,
 * payments, decisions, returns and withdrawals (processing). Every request is a real HTTP call.
 */
export class ProvinceDriver {
  private readonly key: string;
  private readonly tokens = new Map<string, string>();
  private retries = 0;

  constructor(private readonly options: DriverOptions) {
    this.key = options.signingKey || process.env.AUTH_SIGNING_KEY || DEV_SIGNING_KEY;
  }

  private auth(unit: string, roles: Role[]): Record<string, string> {
    const id = `${unit}|${roles.join(",")}`;
    let token = this.tokens.get(id);
    if (!token) {
      token = signToken({ sub: `sim-${roles[0]}@${unit}`, unit, roles }, this.key, 24 * 3600);
      this.tokens.set(id, token);
    }
    return { authorization: `Bearer ${token}` };
  }

  /**
   * One HTTP step. Unanswered requests and 502/503/504 are sent again after a short backoff, for
   * `retryForMs`, unless `retry` is false (processing's actions, which re-read the dossier instead).
   */
  private async call(
    step: string,
    url: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string>; retry?: boolean },
  ) {
    const until = Date.now() + (init.retry === false ? 0 : (this.options.retryForMs ?? 60_000));
    for (let attempt = 0; ; attempt++) {
      let status: number;
      let body: unknown;
      try {
        const res = await fetch(url, {
          method: init.method ?? (init.body === undefined ? "GET" : "POST"),
          headers: {
            ...(init.body === undefined ? {} : { "content-type": "application/json" }),
            ...init.headers,
          },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
        });
        status = res.status;
        const text = await res.text();
        body = text ? parseJson(text) : undefined;
      } catch (err) {
        status = NO_ANSWER;
        body = String((err as Error).cause ?? err);
      }
      if (status !== NO_ANSWER && status < 300) return body as Record<string, unknown>;
      if (!isTransientStatus(status) || Date.now() >= until) {
        throw new StepFailed(step, status, body, attempt > 0);
      }
      this.retries++;
      await sleep(retryDelay(attempt));
    }
  }

  async run(scripts: readonly DossierScript[]): Promise<DriveReport> {
    const report: DriveReport = {
      runId: this.options.runId,
      units: {},
      dossiers: [],
      failures: [],
      retries: 0,
    };
    this.retries = 0;
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < scripts.length) {
        const script = scripts[next++]!;
        try {
          await this.actOut(script, report);
        } catch (err) {
          if (err instanceof StepFailed) {
            report.failures.push({ seq: script.seq, step: err.step, status: err.status, body: err.body });
          } else {
            report.failures.push({ seq: script.seq, step: "network", status: 0, body: String(err) });
          }
        }
        this.options.onProgress?.(++done, scripts.length);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, worker));
    report.dossiers.sort((a, b) => a.seq - b.seq);
    report.retries = this.retries;
    return report;
  }

  private unit(report: DriveReport, code: string): UnitReport {
    report.units[code] ??= emptyUnit();
    return report.units[code]!;
  }

  private async actOut(s: DossierScript, report: DriveReport): Promise<void> {
    const { intakeUrl } = this.options;
    const reception = this.auth(s.unitCode, ["reception"]);
    const applicant = {
      name: s.applicant.fullName,
      identityNumber: s.applicant.identityNumber,
      phone: s.applicant.phone,
      address: s.applicant.address,
    };
    const documents = [{ name: "Tờ khai theo mẫu", copies: 1, original: true }];
    let receipt: Record<string, unknown>;
    if (s.channel === "online") {
      const submission = await this.call("submit", `${intakeUrl}/v1/submissions`, {
        headers: reception,
        body: {
          portalRef: `SIM-${this.options.runId}-${s.seq}`,
          procedureCode: s.procedureCode,
          receivingUnitCode: s.unitCode,
          applicant,
          submittedAt: s.submittedAt,
          documents,
        },
      });
      const id = String(submission.id ?? submission.submissionId);
      if (s.fate === "refused-at-reception") {
        await this.refuse(id, reception);
        this.unit(report, s.unitCode).refusedAtReception++;
        report.dossiers.push({ seq: s.seq, dossierId: null, code: null, unitCode: s.unitCode, fate: s.fate });
        return;
      }
      receipt = await this.call("accept", `${intakeUrl}/v1/submissions/${id}/accept`, {
        headers: reception,
        body: {},
      });
    } else {
      receipt = await this.call("receive", `${intakeUrl}/v1/dossiers`, {
        headers: { ...reception, "idempotency-key": `sim-${this.options.runId}-${s.seq}` },
        body: {
          channel: s.channel,
          procedureCode: s.procedureCode,
          receivingUnitCode: s.unitCode,
          applicant,
          documents,
        },
      });
    }
    const dossierId = String(receipt.dossierId);
    this.unit(report, s.unitCode).received[s.channel]++;
    report.dossiers.push({
      seq: s.seq,
      dossierId,
      code: String(receipt.code),
      unitCode: s.unitCode,
      fate: s.fate,
    });
    await this.process(s, dossierId, report);
  }

  /** Waits for processing to know the dossier (it learns it from dossier.received on Kafka). */
  private async view(dossierId: string, unit: string): Promise<ProcessingView> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return (await this.call("view", `${this.options.processingUrl}/v1/dossiers/${dossierId}`, {
          headers: this.auth(unit, ["leader", "specialist", "reception"]),
        })) as unknown as ProcessingView;
      } catch (err) {
        if (!(err instanceof StepFailed) || err.status !== 404 || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /**
   * One processing action. When it gets no answer it may still have committed: the dossier is read
   * again, and the action counts as done if the version moved on by one to the state it leads to;
   * otherwise it goes again with the version now read.
   */
  private async act(
    d: ProcessingView,
    action: string,
    body: Record<string, unknown>,
    unit = d.currentUnitCode,
  ): Promise<ProcessingView> {
    const headers = this.auth(unit, ["leader", "specialist", "reception"]);
    const until = Date.now() + (this.options.retryForMs ?? 60_000);
    let current = d;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.call(action, `${this.options.processingUrl}/v1/dossiers/${d.id}/${action}`, {
          headers,
          body: { expectedVersion: current.version, ...body },
          retry: false,
        })) as unknown as ProcessingView;
      } catch (err) {
        if (!(err instanceof StepFailed) || !isTransientStatus(err.status) || Date.now() >= until) throw err;
      }
      this.retries++;
      await sleep(retryDelay(attempt));
      const seen = await this.view(d.id, unit);
      if (lostActionOutcome(action, current, seen) === "done") return seen;
      current = seen;
    }
  }

  /** Refusal at reception; a retried refusal that finds the submission refused already is done. */
  private async refuse(id: string, headers: Record<string, string>): Promise<void> {
    const url = `${this.options.intakeUrl}/v1/submissions/${id}`;
    try {
      await this.call("refuse", `${url}/refuse`, {
        headers,
        body: { reasons: ["Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị"] },
      });
    } catch (err) {
      if (!(err instanceof StepFailed) || !err.retried || err.status !== 409) throw err;
      const submission = await this.call("refuse", url, { headers });
      if (submission.state !== "refused") throw err;
    }
  }

  private async process(s: DossierScript, dossierId: string, report: DriveReport): Promise<void> {
    let d = await this.view(dossierId, s.unitCode);
    const tally = this.unit(report, s.unitCode);
    if (s.fate === "withdrawn") {
      d = await this.act(d, "withdraw", { reason: "Công dân đề nghị rút hồ sơ" });
      d = await this.act(d, "stop", {
        reason: "withdrawn",
        explanation: "Rút hồ sơ theo đề nghị của công dân",
      });
      tally.withdrawn++;
      return;
    }
    d = await this.act(d, "assign", {
      assigneeStaffId: `cb-${d.currentUnitCode}-01`,
      assigneeName: "Cán bộ mô phỏng",
    });
    if (s.supplement) {
      d = await this.act(d, "request-supplement", {
        missingItems: ["Bản sao giấy tờ chứng minh nơi cư trú"],
        reason: "Hồ sơ chưa đầy đủ thành phần",
      });
      d = await this.act(d, "receive-supplement", {});
      tally.supplements++;
    }
    if (s.payment) {
      d = await this.act(d, "request-payment", {
        obligations: [{ kind: "charge", description: "Lệ phí giải quyết thủ tục", amountVnd: 50_000 }],
      });
      d = await this.act(d, "receive-payment", { amountVnd: 50_000, method: "online" });
      tally.payments++;
    }
    if (s.transfer) {
      const stepIndex = () => d.steps.findIndex((st) => st.id === d.currentStep?.id);
      while (stepIndex() >= 0 && stepIndex() < d.steps.length - 1) {
        const target = d.steps[stepIndex() + 1]!;
        d = await this.act(d, "transfer", { note: `Chuyển bước ${target.id}` });
        if (target.unitCode !== s.unitCode) tally.transfers++;
      }
    }
    if (s.fate === "open") {
      tally.open++;
      return;
    }
    if (s.extension) {
      const newDueAt = new Date(Date.parse(d.dueAt) + 3 * 86_400_000).toISOString().replace("Z", "+00:00");
      try {
        d = await this.act(d, "extend", { newDueAt, reason: "Cần thêm thời gian xác minh" });
        tally.extensions++;
      } catch (err) {
        if (!(err instanceof StepFailed) || err.status !== 409) throw err;
      }
    }
    const refused = s.outcomeRefused;
    d = await this.act(d, "resolve", {
      outcome: refused ? "refused" : "approved",
      ...(refused ? { refusalReasons: ["Không đủ điều kiện theo quy định"] } : {}),
      electronicResult: s.channel === "online",
    });
    tally.resolved++;
    if (refused) tally.refused++;
    else tally.approved++;
    d = await this.act(
      d,
      "return",
      { returnChannel: s.channel === "online" ? "electronic" : "counter" },
      d.currentUnitCode,
    );
    tally.returned++;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
