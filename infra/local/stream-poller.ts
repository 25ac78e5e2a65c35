/**
 * Reads the table's stream on DynamoDB Local and invokes a handler the way Lambda's event
 * source mapping does for one consumer: Lambda-shaped records, filter criteria, batching with
 * a window, per-shard order, partial batch responses, bisection, retries, an on-failure
 * destination and checkpoints that survive a restart.
 *
 * DynamoDB Local stream behaviour this relies on or works around (checked with version 3.3):
 * - Records are readable immediately after the write returns, so an empty GetRecords that
 *   started after a write proves the write has been read (what {@link StreamPoller.idle} uses).
 * - GetRecords returns at most 1000 records, and `Limit` above 1000 is a ValidationException.
 * - Shard iterators expire after 15 minutes (`ExpiredIteratorException`, message
 *   "UnknownError"), e.g. after a laptop sleeps; the poller re-acquires one after the last
 *   record it read. Every GetRecords hands out a fresh iterator, so a polling loop never hits it.
 * - A checkpoint that does not belong to the shard (`AFTER_SEQUENCE_NUMBER` outside its range)
 *   is a ValidationException "Invalid SequenceNumber for the shard"; records older than 24 h
 *   are trimmed (`TrimmedDataAccessException`). Both fall back to the shard's oldest record:
 *   redelivering is safer than skipping, as consumers must be idempotent anyway.
 * - Sequence numbers are 21-digit decimal strings counted across every table of the (shared)
 *   database, so a new table's first shard does not start at 1.
 * - `ApproximateCreationDateTime` is rounded down to the minute, and `awsRegion` is "ddblocal";
 *   the poller reports the client's region instead, as Lambda reports the table's.
 * - Deleting the table disables the stream and closes its shard; reading it to the end then
 *   returns no `NextShardIterator`, as a closed shard does on AWS.
 */
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamTrigger } from '../topology/types';
import { InMemoryCheckpointStore, type CheckpointStore, type Checkpoints } from './checkpoint-store';
import { assertValidPattern, matchesPattern } from '../../shared/event-pattern';
import { toLambdaRecord } from './stream-records';

/** What {@link StreamPollerOptions.onFailure} receives for records given up on. */
export interface StreamFailure {
  /** The records of the failing batch, from the first failed record on. */
  records: DynamoDBRecord[];
  /** The last error, as text. */
  error: string;
  /** How many times these records were invoked and failed. */
  attempts: number;
}

/** Structured logging; Powertools' `Logger` fits. */
export interface PollerLogger {
  debug(message: string, ...attributes: Record<string, unknown>[]): void;
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** Options for {@link StreamPoller}. */
export interface StreamPollerOptions {
  streamsClient: DynamoDBStreamsClient;
  /** Used once, to find the table's latest stream. */
  dynamoClient: DynamoDBClient;
  tableName: string;
  trigger: StreamTrigger;
  /** Runs the handler; may resolve to a `DynamoDBBatchResponse` to report partial failures. */
  invoke: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** The on-failure destination: records given up on after the retries. */
  onFailure: (failure: StreamFailure) => Promise<void>;
  /** Defaults to memory: a new poller on the same store instance resumes, a new process does not. */
  checkpointStore?: CheckpointStore;
  /** Pause between empty reads of a shard. Default 200 ms (Lambda polls four times a second). */
  pollIntervalMs?: number;
  /**
   * While a shard's reads keep coming back empty, the pause doubles up to this; the first record,
   * {@link StreamPoller.nudge} or {@link StreamPoller.idle} brings it back to `pollIntervalMs`.
   * Default `pollIntervalMs`: no back-off, Lambda's steady polling (what the benchmarks measure).
   * An idle local stack otherwise spends a third of a core on empty reads at 50 ms.
   */
  idlePollMaxMs?: number;
  /** Pause before retry n is n × this. Default 100 ms, to keep local runs and tests quick. */
  retryDelayMs?: number;
  /** How often to look for new shards besides when one closes. Default 2000 ms. */
  shardRefreshMs?: number;
  /** `awsRegion` of the records; defaults to the streams client's region. */
  awsRegion?: string;
  logger?: PollerLogger;
}

/** Checkpoint markers besides sequence numbers, which are all digits. */
const SHARD_END = 'SHARD_END';
const FROM_TRIM_HORIZON = 'TRIM_HORIZON';
/** GetRecords refuses a larger Limit. */
const MAX_RECORDS_PER_READ = 1000;
/** Pause after an unexpected error (engine down, network) before trying again. */
const ERROR_BACKOFF_MS = 1000;

const consoleLogger: PollerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, ...attributes) => console.warn(message, ...attributes),
  error: (message, ...attributes) => console.error(message, ...attributes),
};

interface ShardState {
  shardId: string;
  parentShardId: string | undefined;
  started: boolean;
  finished: boolean;
  /** Tick of the latest empty read made with nothing buffered or in flight; -1 while busy. */
  idleTick: number;
  /** Empty reads in a row with nothing buffered: the idle back-off's exponent. */
  emptyReads: number;
}

type Outcome =
  { kind: 'ok' } | { kind: 'partial'; failedFrom: number; error: string } | { kind: 'error'; error: string };

interface IdleWaiter {
  since: number;
  resolve: () => void;
}

/**
 * One consumer of a table's stream, with Lambda event-source-mapping semantics; see the file
 * comment. Delivery is at least once: a crash between invoke and checkpoint redelivers.
 */
export class StreamPoller {
  private readonly batchSize: number;
  private readonly windowMs: number;
  private readonly pollIntervalMs: number;
  private readonly idlePollMaxMs: number;
  /** Wakes the shards sleeping longer than `pollIntervalMs` (backed off while idle). */
  private readonly backedOff = new Set<() => void>();
  private readonly retryDelayMs: number;
  private readonly shardRefreshMs: number;
  private readonly store: CheckpointStore;
  private readonly logger: PollerLogger;
  private running = false;
  private streamArn = '';
  private awsRegion = '';
  private checkpoints: Checkpoints = {};
  private readonly shards = new Map<string, ShardState>();
  private readonly workers = new Set<Promise<void>>();
  private readonly sleepers = new Set<() => void>();
  private idleWaiters: IdleWaiter[] = [];
  private tick = 0;
  private saving: Promise<void> = Promise.resolve();
  private discovery: Promise<void> | undefined;
  /** Cuts the discovery loop's pause short, when a shard closes. */
  private wakeDiscovery: (() => void) | undefined;
  /** A shard finished and its children may not be known yet: not idle until the next refresh. */
  private discoveryPending = false;

  constructor(private readonly options: StreamPollerOptions) {
    const { trigger } = options;
    if (trigger.batchSize < 1) throw new Error(`batchSize must be at least 1, got ${trigger.batchSize}`);
    trigger.filters.forEach(assertValidPattern);
    this.batchSize = trigger.batchSize;
    this.windowMs = trigger.maxBatchingWindowSeconds * 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.idlePollMaxMs = Math.max(this.pollIntervalMs, options.idlePollMaxMs ?? this.pollIntervalMs);
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.shardRefreshMs = options.shardRefreshMs ?? 2000;
    this.store = options.checkpointStore ?? new InMemoryCheckpointStore();
    this.logger = options.logger ?? consoleLogger;
  }

  /** Finds the stream, loads checkpoints and starts reading; resolves once reading has begun. */
  async start(): Promise<void> {
    if (this.running) return;
    this.streamArn = await this.latestStreamArn();
    this.awsRegion = this.options.awsRegion ?? (await this.options.streamsClient.config.region());
    this.checkpoints = await this.store.load();
    const shards = await this.describeShards();
    // A poller may be started again after stop(): begin from the checkpoints, not old state.
    this.shards.clear();
    this.running = true;
    this.registerShards(shards);
    // Any checkpoint for a current shard means this consumer ran before: the starting position
    // was applied then, and shards born since are read from their beginning, as Lambda does.
    const resuming = shards.some(
      (shard) => shard.ShardId !== undefined && this.checkpoints[shard.ShardId] !== undefined,
    );
    if (!resuming && this.options.trigger.startingPosition === 'LATEST') {
      // Pinned before start() returns, so a write made after start() is always delivered.
      try {
        for (const shard of shards) await this.skipToLatest(shard);
      } catch (err) {
        this.running = false;
        throw err;
      }
    }
    this.startReadyShards();
    this.discovery = this.discoverShards();
  }

  /** Stops reading; waits for the in-flight invocation (not its retries) and the last checkpoint. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const wake of this.sleepers) wake();
    await Promise.all([...this.workers, this.discovery]);
    await this.saving;
    this.resolveIdleWaiters();
  }

  /**
   * Something may have written to the table (a function ran): shards backed off while idle read
   * again now and poll at `pollIntervalMs` until they find nothing again. A shard polling at the
   * steady rate is not woken, so nudges never make it read more often than Lambda would.
   */
  nudge(): void {
    for (const shard of this.shards.values()) shard.emptyReads = 0;
    for (const wake of this.backedOff) wake();
  }

  /**
   * Resolves once every record written before the call has been delivered (or filtered out or
   * dead-lettered) and checkpointed; rejects after `timeoutMs`. For tests and scripts.
   */
  idle(timeoutMs = 10_000): Promise<void> {
    this.nudge();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== waiter);
        reject(new Error(`Stream poller for ${this.options.tableName} not idle after ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: IdleWaiter = {
        since: this.tick,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.idleWaiters.push(waiter);
      this.resolveIdleWaiters();
    });
  }

  private async latestStreamArn(): Promise<string> {
    const { Table } = await this.options.dynamoClient.send(
      new DescribeTableCommand({ TableName: this.options.tableName }),
    );
    if (!Table?.LatestStreamArn || Table.StreamSpecification?.StreamEnabled === false) {
      throw new Error(`Table ${this.options.tableName} has no enabled stream`);
    }
    return Table.LatestStreamArn;
  }

  private async describeShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.options.streamsClient.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  /** Polls DescribeStream for new shards (a closed shard's children) until stopped. */
  private async discoverShards(): Promise<void> {
    while (this.running) {
      await this.sleep(this.shardRefreshMs, (wake) => {
        this.wakeDiscovery = wake;
      });
      this.wakeDiscovery = undefined;
      if (!this.running) return;
      const pending = this.discoveryPending;
      try {
        this.registerShards(await this.describeShards());
        if (pending) this.discoveryPending = false;
        this.startReadyShards();
      } catch (err) {
        this.logger.warn('DescribeStream failed; will retry', {
          table: this.options.tableName,
          error: describeError(err),
        });
      }
    }
  }

  private registerShards(shards: Shard[]): void {
    for (const shard of shards) {
      if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
      this.shards.set(shard.ShardId, {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        started: false,
        finished: this.checkpoints[shard.ShardId] === SHARD_END,
        idleTick: -1,
        emptyReads: 0,
      });
    }
  }

  private startReadyShards(): void {
    // Parents before children: a child starts once its parent is done (or trimmed away).
    for (const state of this.shards.values()) {
      if (state.started || state.finished) continue;
      const parent = state.parentShardId === undefined ? undefined : this.shards.get(state.parentShardId);
      if (parent && !parent.finished) continue;
      state.started = true;
      const worker = this.superviseShard(state);
      this.workers.add(worker);
      void worker.finally(() => this.workers.delete(worker));
    }
    this.resolveIdleWaiters();
  }

  /**
   * Runs the shard's reader until the shard is done or the poller stops. An unexpected error
   * (the engine restarting, a network failure) restarts the reader from the last checkpoint.
   */
  private async superviseShard(shard: ShardState): Promise<void> {
    while (this.running && !shard.finished) {
      try {
        await this.runShard(shard);
      } catch (err) {
        shard.idleTick = -1;
        this.logger.warn('Stream shard reader failed; restarting from its checkpoint', {
          table: this.options.tableName,
          shardId: shard.shardId,
          error: describeError(err),
        });
        await this.sleep(ERROR_BACKOFF_MS);
      }
    }
  }

  /** Reads one shard to its end (or until stopped), invoking batches in order. */
  private async runShard(shard: ShardState): Promise<void> {
    const stored = this.checkpoints[shard.shardId];
    const opened = await this.acquireIterator(shard, stored === FROM_TRIM_HORIZON ? undefined : stored);
    let iterator = opened.iterator;
    /** Sequence number of the last record read from the shard; the iterator points after it. */
    let readUpTo = opened.after;
    /** Records that passed the filters, with when they were read (their batching window starts then). */
    const buffer: Array<{ record: DynamoDBRecord; readAt: number }> = [];
    let shardEnded = iterator === undefined;

    while (this.running) {
      let readCount = 0;
      if (!shardEnded && buffer.length < this.batchSize && iterator !== undefined) {
        const tick = ++this.tick;
        let read: { records: _Record[]; next: string | undefined };
        try {
          read = await this.getRecords(iterator);
        } catch (err) {
          const name = errorName(err);
          if (name !== 'ExpiredIteratorException' && name !== 'TrimmedDataAccessException') throw err;
          // The buffer is still good: continue after the last record read, or from the oldest
          // record left if the position was trimmed away (those records are lost, as on AWS).
          this.logger.warn('Shard iterator no longer usable; acquiring a new one', {
            shardId: shard.shardId,
            error: name,
          });
          const reopened = await this.acquireIterator(
            shard,
            name === 'TrimmedDataAccessException' ? undefined : readUpTo,
          );
          iterator = reopened.iterator;
          readUpTo = reopened.after ?? readUpTo;
          shardEnded = iterator === undefined;
          continue;
        }
        iterator = read.next;
        shardEnded = iterator === undefined;
        readCount = read.records.length;
        for (const raw of read.records) {
          const record = toLambdaRecord(raw, this.streamArn, this.awsRegion);
          readUpTo = record.dynamodb?.SequenceNumber ?? readUpTo;
          // Lambda drops records that match no filter and checkpoints past them.
          if (this.passesFilters(record)) buffer.push({ record, readAt: Date.now() });
        }
        shard.idleTick = readCount === 0 && buffer.length === 0 ? tick : -1;
        shard.emptyReads = readCount === 0 && buffer.length === 0 ? shard.emptyReads + 1 : 0;
        this.resolveIdleWaiters();
      }

      const windowEndsAt = (buffer[0]?.readAt ?? Date.now()) + this.windowMs;
      if (buffer.length >= this.batchSize || (buffer.length > 0 && (Date.now() >= windowEndsAt || shardEnded))) {
        const batch = buffer.splice(0, this.batchSize).map((entry) => entry.record);
        if (!(await this.processBatch(shard, batch))) return;
        // With nothing left buffered, records filtered out after the batch are done too.
        const last = buffer.length === 0 ? readUpTo : sequenceOf(batch[batch.length - 1]);
        if (last !== undefined) this.setCheckpoint(shard, last);
        continue;
      }
      if (buffer.length === 0 && readUpTo !== undefined) this.setCheckpoint(shard, readUpTo);
      if (shardEnded && buffer.length === 0) {
        this.finishShard(shard);
        return;
      }
      // More may be waiting right away after a non-empty read; otherwise wait for writes.
      if (readCount === 0) {
        const untilWindowEnds = buffer.length > 0 ? Math.max(0, windowEndsAt - Date.now()) : Infinity;
        const pause = Math.min(this.idlePauseMs(shard), untilWindowEnds);
        await this.sleep(
          pause,
          pause > this.pollIntervalMs
            ? (wake) => {
                this.backedOff.add(wake);
              }
            : undefined,
        );
      }
    }
  }

  private passesFilters(record: DynamoDBRecord): boolean {
    const { filters } = this.options.trigger;
    return filters.length === 0 || filters.some((filter) => matchesPattern(filter, record));
  }

  /**
   * Invokes the batch until it succeeds or is given up on, checkpointing what succeeded on the
   * way. Returns false if stopped before the batch was done (it will be redelivered).
   */
  private async processBatch(shard: ShardState, records: DynamoDBRecord[]): Promise<boolean> {
    const { retryAttempts, bisectBatchOnError } = this.options.trigger;
    const segments = [{ records, attempts: 0 }];
    while (segments.length > 0) {
      const segment = segments[0] as (typeof segments)[number];
      const outcome = await this.invokeOnce(segment.records);
      if (outcome.kind === 'ok') {
        this.setCheckpoint(shard, sequenceOf(segment.records[segment.records.length - 1]));
        segments.shift();
        continue;
      }
      if (outcome.kind === 'partial' && outcome.failedFrom > 0) {
        // Lambda checkpoints before the first reported failure and retries from it.
        this.setCheckpoint(shard, sequenceOf(segment.records[outcome.failedFrom - 1]));
        segment.records = segment.records.slice(outcome.failedFrom);
      }
      if (outcome.kind === 'error' && bisectBatchOnError && segment.records.length > 1) {
        // Splitting does not count against the retry quota, so a poison record is isolated
        // and only it reaches the on-failure destination.
        const half = Math.ceil(segment.records.length / 2);
        segments.splice(
          0,
          1,
          { records: segment.records.slice(0, half), attempts: 0 },
          { records: segment.records.slice(half), attempts: 0 },
        );
      } else if (++segment.attempts > retryAttempts) {
        await this.giveUp(shard, { records: segment.records, error: outcome.error, attempts: segment.attempts });
        segments.shift();
        continue;
      }
      if (!this.running) return false;
      this.logger.debug('Retrying stream batch', { shardId: shard.shardId, error: outcome.error });
      await this.sleep(this.retryDelayMs * Math.max(1, segments[0]?.attempts ?? 1));
      if (!this.running) return false;
    }
    return true;
  }

  private async invokeOnce(records: DynamoDBRecord[]): Promise<Outcome> {
    let result: unknown;
    try {
      result = await this.options.invoke({ Records: records });
    } catch (err) {
      return { kind: 'error', error: describeError(err) };
    }
    const failures = batchItemFailures(result);
    if (failures === undefined || failures.length === 0) return { kind: 'ok' };
    const sequences = records.map(sequenceOf);
    const indexes = failures.map((id) => (typeof id === 'string' && id !== '' ? sequences.indexOf(id) : -1));
    // As Lambda: an identifier that is empty or not in the batch fails the whole batch.
    if (indexes.includes(-1)) {
      return {
        kind: 'error',
        error: `Invalid batchItemFailures ${JSON.stringify(failures)}: not sequence numbers of this batch`,
      };
    }
    const failedFrom = Math.min(...indexes);
    return { kind: 'partial', failedFrom, error: `batchItemFailures reported from ${sequences[failedFrom]}` };
  }

  private async giveUp(shard: ShardState, failure: StreamFailure): Promise<void> {
    this.logger.warn('Stream records sent to the on-failure destination', {
      table: this.options.tableName,
      shardId: shard.shardId,
      count: failure.records.length,
      attempts: failure.attempts,
      error: failure.error,
    });
    try {
      await this.options.onFailure(failure);
    } catch (err) {
      // Blocking the shard on a broken destination would stop every later record; Lambda too
      // moves on once the records are discarded.
      this.logger.error('On-failure destination failed; records dropped', {
        shardId: shard.shardId,
        error: describeError(err),
      });
    }
    this.setCheckpoint(shard, sequenceOf(failure.records[failure.records.length - 1]));
  }

  /**
   * LATEST on a first start: moves the shard's position to its current end and checkpoints it
   * (walking the shard, since LATEST iterators carry no sequence number to save). A closed
   * shard has nothing new to offer and is marked done.
   */
  private async skipToLatest(shard: Shard): Promise<void> {
    const state = shard.ShardId === undefined ? undefined : this.shards.get(shard.ShardId);
    if (!state || state.finished) return;
    if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) {
      state.finished = true;
      this.setCheckpoint(state, SHARD_END);
      return;
    }
    let { iterator } = await this.acquireIterator(state, undefined);
    let last: string | undefined;
    while (iterator !== undefined) {
      const read = await this.getRecords(iterator);
      if (read.records.length === 0) break;
      last = read.records.at(-1)?.dynamodb?.SequenceNumber ?? last;
      iterator = read.next;
    }
    // An empty shard is remembered too, so a restart does not skip what arrives meanwhile.
    this.setCheckpoint(state, last ?? FROM_TRIM_HORIZON);
  }

  /**
   * An iterator after `after` (or at the oldest record), with the position it really points
   * at: an unusable checkpoint falls back to the oldest record. No iterator: the shard is gone.
   */
  private async acquireIterator(
    shard: ShardState,
    after: string | undefined,
  ): Promise<{ iterator: string | undefined; after: string | undefined }> {
    const request =
      after === undefined
        ? { ShardIteratorType: 'TRIM_HORIZON' as const }
        : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: after };
    try {
      const { ShardIterator } = await this.options.streamsClient.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shard.shardId, ...request }),
      );
      return { iterator: ShardIterator, after };
    } catch (err) {
      const name = errorName(err);
      if (name === 'ResourceNotFoundException') {
        this.logger.warn('Shard no longer exists; skipping it', { shardId: shard.shardId });
        return { iterator: undefined, after };
      }
      if (after !== undefined && (name === 'TrimmedDataAccessException' || name === 'ValidationException')) {
        this.logger.warn('Checkpoint not usable on this shard; reading from its oldest record', {
          shardId: shard.shardId,
          checkpoint: after,
          error: describeError(err),
        });
        return this.acquireIterator(shard, undefined);
      }
      throw err;
    }
  }

  private async getRecords(iterator: string): Promise<{ records: _Record[]; next: string | undefined }> {
    const { Records, NextShardIterator } = await this.options.streamsClient.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: MAX_RECORDS_PER_READ }),
    );
    return { records: Records ?? [], next: NextShardIterator };
  }

  private finishShard(shard: ShardState): void {
    shard.finished = true;
    this.setCheckpoint(shard, SHARD_END);
    // Children listed already start now; look for others now rather than at the next refresh.
    this.discoveryPending = true;
    this.startReadyShards();
    this.wakeDiscovery?.();
  }

  private setCheckpoint(shard: ShardState, value: string): void {
    if (this.checkpoints[shard.shardId] === value) return;
    this.checkpoints[shard.shardId] = value;
    // Only shards still in the stream are kept, so the file does not grow with dead shards.
    const current = Object.fromEntries(
      Object.entries(this.checkpoints).filter(([shardId]) => this.shards.has(shardId)),
    );
    const save = (): Promise<void> =>
      this.store.save(current).catch((err: unknown) => {
        this.logger.error('Saving stream checkpoints failed', { error: describeError(err) });
      });
    this.saving = this.saving.then(save);
  }

  private resolveIdleWaiters(): void {
    if (this.idleWaiters.length === 0) return;
    const active = [...this.shards.values()].filter((s) => !s.finished);
    const ready = this.idleWaiters.filter(
      (waiter) =>
        !this.running || (!this.discoveryPending && active.every((s) => s.started && s.idleTick > waiter.since)),
    );
    if (ready.length === 0) return;
    this.idleWaiters = this.idleWaiters.filter((w) => !ready.includes(w));
    // Idle also means checkpointed: wait for pending saves before telling anyone.
    void this.saving.then(() => ready.forEach((w) => w.resolve()));
  }

  /** `pollIntervalMs`, doubled for each empty read after the first, up to `idlePollMaxMs`. */
  private idlePauseMs(shard: ShardState): number {
    const doublings = Math.min(Math.max(0, shard.emptyReads - 1), 16);
    return Math.min(this.idlePollMaxMs, this.pollIntervalMs * 2 ** doublings);
  }

  /** Waits `ms`, or less if the poller stops or `onWake` receives a function that is called. */
  private sleep(ms: number, onWake?: (wake: () => void) => void): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        this.backedOff.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
      onWake?.(done);
    });
  }
}

function batchItemFailures(result: unknown): unknown[] | undefined {
  if (typeof result !== 'object' || result === null || !('batchItemFailures' in result)) return undefined;
  const failures = result.batchItemFailures;
  if (!Array.isArray(failures)) return undefined;
  return failures.map((f: unknown) =>
    typeof f === 'object' && f !== null ? (f as { itemIdentifier?: unknown }).itemIdentifier : undefined,
  );
}

function sequenceOf(record: DynamoDBRecord | undefined): string {
  const sequence = record?.dynamodb?.SequenceNumber;
  if (sequence === undefined) throw new Error('Stream record without a SequenceNumber');
  return sequence;
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
