/**
 * OpenTelemetry traces. Off unless an OTLP endpoint is configured (`tracingEnabled`): then no SDK
 * is even loaded, and the span helpers below only run what they wrap. On, `startTracing` registers
 * a Node tracer provider that batches spans to the OTLP/HTTP exporter, and Prisma's own
 * instrumentation (a tracing helper on `globalThis` that Prisma Client reads; no module hooks).
 * Tests call `registerTracing` with an in-memory exporter instead.
 *
 * Spans carry no person data: statements are parameterised (values are never in their text),
 * GraphQL operations are named by type and operation name (no document, no variables), and a
 * failure records its type (an error class or code), never its message.
 */
import {
  context,
  diag,
  DiagLogLevel,
  SpanKind,
  SpanStatusCode,
  trace,
  propagation,
  type Context as TraceContext,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVICE_NAME,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
  ERROR_TYPE_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/** The settings that decide whether traces are exported (the SDK reads the rest from the environment). */
export type TracingSettings = Pick<
  Config,
  | 'OTEL_SDK_DISABLED'
  | 'OTEL_TRACES_EXPORTER'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
>;

/** A registered tracer provider. */
export interface Tracing {
  /** Exports what is still buffered (waiting at most `timeoutMs`), then unregisters everything. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** The service name when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES gives one. */
export const DEFAULT_SERVICE_NAME = 'maillage';
/** How long shutdown waits for the last spans to reach the collector by default. */
const FLUSH_TIMEOUT_MS = 3_000;

/** Our own spans' tracer while a provider is registered; undefined when tracing is off. */
let tracer: Tracer | undefined;

/** True when the environment asks for traces: an OTLP endpoint, and tracing not turned off. */
export function tracingEnabled(settings: TracingSettings): boolean {
  const endpoint = settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? settings.OTEL_EXPORTER_OTLP_ENDPOINT;
  return !settings.OTEL_SDK_DISABLED && settings.OTEL_TRACES_EXPORTER === 'otlp' && endpoint !== undefined;
}

/** The tracer of the hub's own spans, or undefined when tracing is off. */
export function activeTracer(): Tracer | undefined {
  return tracer;
}

/**
 * Starts exporting traces when the configuration asks for it (`tracingEnabled`); otherwise loads
 * nothing and returns null. The exporter reads its endpoint, headers and timeout from the
 * standard OTEL_EXPORTER_OTLP_* variables; the provider its sampler from OTEL_TRACES_SAMPLER.
 */
export async function startTracing(config: TracingSettings, logger: Logger): Promise<Tracing | null> {
  if (!tracingEnabled(config)) return null;
  const [{ BatchSpanProcessor }, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  // Export failures (a collector down) are the SDK's to report: as warnings in our log.
  const warn = (message: string) => logger.warn(`OpenTelemetry: ${message}`);
  diag.setLogger(
    { error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} },
    DiagLogLevel.WARN,
  );
  const tracing = await registerTracing([new BatchSpanProcessor(new OTLPTraceExporter())]);
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT;
  logger.info(
    {
      collector: endpoint && new URL(endpoint).origin,
      sampler: process.env.OTEL_TRACES_SAMPLER ?? 'default',
    },
    'exporting traces over OTLP',
  );
  return tracing;
}

/**
 * Registers a tracer provider with these span processors as the global one (context manager and
 * W3C trace-context propagator included) and turns Prisma's instrumentation on.
 */
export async function registerTracing(spanProcessors: SpanProcessor[]): Promise<Tracing> {
  const [{ NodeTracerProvider }, resources, { PrismaInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
    import('@prisma/instrumentation'),
  ]);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (envDetector) win over our default name.
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors });
  provider.register();
  // Prisma Client reads this helper from globalThis at every query: enabling it hooks no module.
  const prisma = new PrismaInstrumentation({ enabled: false });
  prisma.setTracerProvider(provider);
  prisma.enable();
  tracer = provider.getTracer(DEFAULT_SERVICE_NAME);
  return {
    async shutdown(timeoutMs = FLUSH_TIMEOUT_MS) {
      tracer = undefined;
      prisma.disable();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([provider.shutdown().catch(() => undefined), late]);
      clearTimeout(timer);
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * Runs `run` in a new span, a child of `parent` (default: the active context), and ends it when
 * `run` settles. A failure marks the span with its type only (`markFailed`). With tracing off it
 * only calls `run`, with no span.
 */
export function inSpan<T>(
  name: string,
  options: SpanOptions,
  run: (span?: Span) => Promise<T>,
  parent: TraceContext = context.active(),
): Promise<T> {
  if (!tracer) return run();
  const span = tracer.startSpan(name, options, parent);
  return context.with(trace.setSpan(parent, span), run, undefined, span).then(
    (value) => {
      span.end();
      return value;
    },
    (err: unknown) => {
      markFailed(span, errorType(err));
      span.end();
      throw err;
    },
  );
}

/** Sets ERROR status and `error.type`: a class name or a code, never a message (it may quote data). */
export function markFailed(span: Span, type: string): void {
  span.setAttribute(ATTR_ERROR_TYPE, type);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/**
 * One hand-written statement (`Database.sql`) as a CLIENT span. `text` is the parameterised
 * statement ($1, $2…); the values travel apart and are never recorded.
 */
export function traceSql<T>(text: string, run: () => Promise<T>): Promise<T> {
  if (!tracer) return run();
  const operation = /^\s*(select|insert|update|delete)\b/i.exec(text)?.[1]?.toUpperCase();
  return inSpan(
    operation ?? DB_SYSTEM_NAME_VALUE_POSTGRESQL,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
        [ATTR_DB_QUERY_TEXT]: text,
        ...(operation && { [ATTR_DB_OPERATION_NAME]: operation }),
      },
    },
    async (span) => {
      try {
        return await run();
      } catch (err) {
        const code = sqlState(err);
        if (code) span?.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, code);
        throw err;
      }
    },
  );
}

/** PostgreSQL's five-character error code (SQLSTATE), when the error carries one. */
function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** An error's code (SQLSTATE, errno name, Prisma's P-code) or class name: never its message. */
function errorType(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[\w.-]{1,64}$/.test(code)) return code;
  return err instanceof Error ? err.constructor.name : ERROR_TYPE_VALUE_OTHER;
}
