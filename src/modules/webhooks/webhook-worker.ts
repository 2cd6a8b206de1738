/** Webhook delivery worker: placeholder until the webhooks land (being written). */
import type { Config } from '../../shared/config.ts';
import type { Database } from '../../shared/db/client.ts';
import type { Logger } from '../../shared/logger.ts';

export interface WebhookWorker {
  /** New outbox rows may be there: fan them out to endpoints soon. */
  wake(): void;
  stop(): Promise<void>;
}

export function startWebhookWorker(_deps: { db: Database; config: Config; logger: Logger }): WebhookWorker {
  return { wake: () => undefined, stop: () => Promise.resolve() };
}
