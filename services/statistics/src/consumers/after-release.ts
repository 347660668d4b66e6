import type { Logger, Pool, PoolClient } from "@tthc/service-kit";

/**
 * The units a consumer's transactions changed, announced once each transaction is over, outside
 * it. A NOTIFY inside the transaction would take PostgreSQL's cluster-wide notify lock at commit
 * and make every commit wait its turn (docs/decisions.md, "Statistics: the change notice after the
 * commit"). The bus commits a run's transaction, then releases its client to the pool, which says
 * so: the notice goes then, from the pool, in a transaction of its own. A run rolled back also
 * releases its client; its notice only makes the stream read figures that did not move.
 */
export class AfterRelease {
  private readonly waiting = new Map<PoolClient, Set<string>>();

  constructor(
    pool: Pool,
    private readonly logger: Logger,
    private readonly announce: (units: string[]) => Promise<void>,
  ) {
    pool.on("release", (_err, client) => this.released(client as PoolClient));
  }

  /** Remembers changed units of the transaction running on `tx`. */
  add(tx: PoolClient, units: string[]): void {
    let set = this.waiting.get(tx);
    if (!set) {
      set = new Set();
      this.waiting.set(tx, set);
    }
    for (const u of units) set.add(u);
  }

  private released(client: PoolClient): void {
    const units = this.waiting.get(client);
    if (!units) return;
    this.waiting.delete(client);
    this.announce([...units]).catch((err: Error) =>
      this.logger.warn({ err: err.message }, "could not announce changed figures"),
    );
  }
}
