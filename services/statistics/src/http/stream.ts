import {
  type FastifyReply,
  type FastifyRequest,
  type Logger,
  openEventStream,
  type Pool,
  type PoolClient,
} from "@tthc/service-kit";
import type { Attribution } from "../domain/attribution.js";

type Client = ReturnType<typeof openEventStream>;

export const CHANNEL = "statistics_changed";

/**
 * After a consumer's transaction, in one of its own: a NOTIFY in the consumer's transaction would
 * serialise its commits (consumers/after-release.ts).
 */
export async function notifyChanged(pool: Pool, units: string[]): Promise<void> {
  const payload = JSON.stringify(units.length > 200 ? ["*"] : units);
  await pool.query("SELECT pg_notify($1, $2)", [CHANNEL, payload]);
}

/**
 * Server-sent events of changed figures. Listens to the consumers' commit notices (from any
 * instance), gathers them for `debounceMs`, then asks `figures` for what to push to the clients,
 * once per attribution the clients asked for.
 */
export class FigureStream {
  private readonly clients = new Map<Client, Attribution>();
  private listener: PoolClient | undefined;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly figures: (units: string[], attribution: Attribution) => Promise<unknown>,
    private readonly debounceMs = 300,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
  }

  private async listen(): Promise<void> {
    const client = await this.pool.connect();
    client.on("notification", (n) => {
      if (n.channel !== CHANNEL) return;
      try {
        for (const u of JSON.parse(n.payload ?? "[]") as string[]) this.pending.add(u);
      } catch {
        this.pending.add("*");
      }
      this.schedule();
    });
    // A restart of PostgreSQL ends this connection; unheard, its 'error' would end the process.
    client.on("error", (err) => {
      if (this.listener !== client) return;
      this.logger.warn({ err: err.message }, "figure listener lost its connection; listening again");
      this.listener = undefined;
      client.release(err);
      this.relisten();
    });
    this.listener = client;
    try {
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      if (this.listener === client) {
        this.listener = undefined;
        client.release(err as Error);
      }
      throw err;
    }
  }

  private relisten(): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (this.stopped) return;
      this.listen().then(
        () => this.poke(),
        () => this.relisten(),
      );
    }, 1_000).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    // The open streams themselves are ended by service-kit when the app closes.
    this.clients.clear();
    if (this.listener) {
      await this.listener.query(`UNLISTEN ${CHANNEL}`).catch(() => {});
      this.listener.release();
      this.listener = undefined;
    }
  }

  /** Push to everyone now (after a rebuild, for instance). */
  poke(): void {
    this.pending.add("*");
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const units = [...this.pending];
      this.pending = new Set();
      for (const attribution of new Set(this.clients.values())) {
        this.figures(units, attribution).then(
          (data) => {
            const id = ++this.seq;
            for (const [c, a] of this.clients) if (a === attribution) c.send("figures", data, id);
          },
          (err: Error) => this.logger.warn({ err: err.message }, "could not compute pushed figures"),
        );
      }
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Takes over a request's socket as an event stream and sends the current figures at once. */
  async attach(req: FastifyRequest, reply: FastifyReply, attribution: Attribution): Promise<void> {
    const client = openEventStream(req, reply);
    this.clients.set(client, attribution);
    client.onClose(() => this.clients.delete(client));
    const data = await this.figures(["*"], attribution).catch(() => null);
    if (data) client.send("figures", data, ++this.seq);
  }
}
