/** Webhook endpoints and deliveries: placeholder until the webhooks land (being written). */
export {};
