import { setTimeout as sleep } from "node:timers/promises";
import { DEV_SIGNING_KEY, type Role, signToken } from "@tthc/auth";
import { isTransientStatus, lostActionOutcome, NO_ANSWER, retryDelay } from "./retry.js";

/** A request the services refused or never answered. */
export class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly body: unknown,
    /** The step was sent more than once: an earlier try may have been applied. */
    readonly retried = false,
  ) {
    super(`${step} answered ${status}`);
  }

  /** The error code of the services' error body (`{ error: { code } }`), if any. */
  get code(): string | undefined {
    const b = this.body as { error?: { code?: unknown } } | undefined;
    return typeof b?.error?.code === "string" ? b.error.code : undefined;
  }
}

/** A dossier as processing's `GET /v1/dossiers/:id` shows it (the fields the driver reads). */
export interface ProcessingView {
  id: string;
  version: number;
  state: string;
  currentUnitCode: string;
  receivingUnitCode: string;
  currentStep: { id: string; unitCode: string } | null;
  steps: { id: string; unitCode: string }[];
  /** Null while a pause that began before it is open. */
  dueAt: string | null;
  /** The sequence of the deadline monitor's data shown; absent or null before any. */
  slaSequence?: number | null;
  /** The instants processing recorded for the decision and the stop. */
  resolvedAt?: string | null;
  stoppedAt?: string | null;
  /** The due instant that had passed when a supplement was asked for (the monitor's). */
  lateSince?: string | null;
}

export interface ApiOptions {
  intakeUrl: string;
  processingUrl: string;
  signingKey?: string;
  /**
   * How long one step keeps being retried while its service gives no answer (or 502/503/504),
   * as while it restarts. 0 fails at once. Default 60 s.
   */
  retryForMs?: number;
  /** Longest wait for one answer before the request counts as unanswered. Default 30 s. */
  requestTimeoutMs?: number;
  /** How long processing may take to learn a received dossier from Kafka. Default 60 s. */
  learnTimeoutMs?: number;
}

/** Tokens are signed for a day by the machine's clock and signed again well before they expire. */
const TOKEN_TTL_S = 24 * 3600;
const TOKEN_RENEW_MS = 6 * 3_600_000;

/**
 * The services' HTTP APIs as the simulated staff and portal use them: real requests, bearer tokens
 * of the acting unit, and retries that lean on the APIs' idempotency (retry.ts).
 */
export class ServiceApi {
  private readonly key: string;
  private readonly tokens = new Map<string, { token: string; signedAt: number }>();
  retries = 0;

  constructor(readonly options: ApiOptions) {
    this.key = options.signingKey || process.env.AUTH_SIGNING_KEY || DEV_SIGNING_KEY;
  }

  auth(unit: string, roles: Role[] = ["leader", "specialist", "reception"]): Record<string, string> {
    const id = `${unit}|${roles.join(",")}`;
    let t = this.tokens.get(id);
    if (!t || Date.now() - t.signedAt > TOKEN_RENEW_MS) {
      t = {
        token: signToken({ sub: `sim-${roles[0]}@${unit}`, unit, roles }, this.key, TOKEN_TTL_S),
        signedAt: Date.now(),
      };
      this.tokens.set(id, t);
    }
    return { authorization: `Bearer ${t.token}` };
  }

  /**
   * One HTTP step. Unanswered requests and 502/503/504 are sent again after a short backoff, for
   * `retryForMs`, unless `retry` is false (processing's actions, which re-read the dossier instead).
   */
  async call(
    step: string,
    url: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string>; retry?: boolean },
  ): Promise<Record<string, unknown>> {
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
      if (status !== NO_ANSWER && status < 300) return (body ?? {}) as Record<string, unknown>;
      if (!isTransientStatus(status) || Date.now() >= until) {
        throw new StepFailed(step, status, body, attempt > 0);
      }
      this.retries++;
      await sleep(retryDelay(attempt));
    }
  }

  intake(path: string): string {
    return `${this.options.intakeUrl}${path}`;
  }

  /** One read of a dossier at processing; null while processing does not know it yet. */
  async tryView(dossierId: string, unit: string): Promise<ProcessingView | null> {
    try {
      return (await this.call("view", `${this.options.processingUrl}/v1/dossiers/${dossierId}`, {
        headers: this.auth(unit),
      })) as unknown as ProcessingView;
    } catch (err) {
      if (err instanceof StepFailed && err.status === 404) return null;
      throw err;
    }
  }

  /** Waits for processing to know the dossier (it learns it from dossier.received on Kafka). */
  async view(dossierId: string, unit: string): Promise<ProcessingView> {
    const deadline = Date.now() + (this.options.learnTimeoutMs ?? 60_000);
    for (let wait = 10; ; wait = Math.min(200, wait * 2)) {
      const v = await this.tryView(dossierId, unit);
      if (v) return v;
      if (Date.now() > deadline) throw new StepFailed("view", 404, `processing never learned ${dossierId}`);
      await sleep(wait);
    }
  }

  /**
   * One processing action, sent with the version last read. When it gets no answer it may still
   * have committed: the dossier is read again, and the action counts as done if the version moved
   * on by one to the state it leads to; otherwise it goes again with the version now read. A 409
   * for a stale version (something else moved the dossier on) also reads it again and resends, and
   * a 404 waits until processing has learned the dossier (from Kafka) before going again.
   */
  async act(
    d: ProcessingView,
    action: string,
    body: Record<string, unknown>,
    unit = d.currentUnitCode,
  ): Promise<ProcessingView> {
    const headers = this.auth(unit);
    const until = Date.now() + (this.options.retryForMs ?? 60_000);
    let current = d;
    let stale = 0;
    let learned = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.call(action, `${this.options.processingUrl}/v1/dossiers/${d.id}/${action}`, {
          headers,
          body: { expectedVersion: current.version, ...body },
          retry: false,
        })) as unknown as ProcessingView;
      } catch (err) {
        if (!(err instanceof StepFailed)) throw err;
        // Processing learns a received dossier from Kafka: wait until it knows it, then go again.
        if (err.status === 404 && !learned) {
          learned = true;
          current = await this.view(d.id, unit);
          continue;
        }
        if (err.status === 409 && err.code === "PROCESSING_STALE_VERSION" && stale++ < 5) {
          current = await this.view(d.id, unit);
          continue;
        }
        if (!isTransientStatus(err.status) || Date.now() >= until) throw err;
      }
      this.retries++;
      await sleep(retryDelay(attempt));
      const seen = await this.view(d.id, unit);
      if (lostActionOutcome(action, current, seen) === "done") return seen;
      current = seen;
    }
  }

  /**
   * A decision on an online submission (refuse, stop, ask for a supplement, supplied). A retried one
   * that finds the submission in the state it leads to is done.
   */
  async decideSubmission(
    id: string,
    step: string,
    body: Record<string, unknown>,
    headers: Record<string, string>,
    leadsTo: string,
  ): Promise<Record<string, unknown>> {
    const url = this.intake(`/v1/submissions/${id}`);
    try {
      return await this.call(step, `${url}/${step}`, { headers, body });
    } catch (err) {
      if (!(err instanceof StepFailed) || !err.retried || err.status !== 409) throw err;
      const submission = await this.call(step, url, { headers });
      if (submission.state !== leadsTo) throw err;
      return submission;
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
