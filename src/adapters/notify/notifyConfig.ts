/**
 * The `notify:` section of the configuration: where alerts go (generic JSON webhooks, Slack
 * incoming webhooks, Telegram's Bot API), from which severity on, and the delivery policy.
 * Secrets (webhook URLs that carry a token, the bot token) are named by environment variable,
 * never written in the file, and never logged.
 */
import { z } from 'zod';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable');
const minSeverity = z.enum(SEVERITIES).default('warning');

export const channelSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('webhook'),
    /** A name for logs and metrics (default: the kind). */
    name: z.string().min(1).optional(),
    /** Environment variable holding the URL the alert is POSTed to as JSON. */
    urlEnv: envName,
    minSeverity,
  }).strict(),
  z.object({
    kind: z.literal('slack'),
    name: z.string().min(1).optional(),
    /** Environment variable holding the Slack (or Slack-compatible) incoming webhook URL. */
    urlEnv: envName,
    minSeverity,
  }).strict(),
  z.object({
    kind: z.literal('telegram'),
    name: z.string().min(1).optional(),
    /** Environment variable holding the bot token. */
    botTokenEnv: envName.default('TELEGRAM_BOT_TOKEN'),
    chatId: z.union([z.string().min(1), z.number().int()]),
    /** Bot API base URL (a loopback receiver in tests, a proxy in production). */
    apiUrl: z.string().url().default('https://api.telegram.org'),
    minSeverity,
  }).strict(),
]);

export const notifyConfigSchema = z.object({
  channels: z.array(channelSchema).default([]),
  /** Attempts per delivery (first + retries), with a doubling backoff from backoffMs up to maxBackoffMs. */
  attempts: z.number().int().min(1).max(20).default(5),
  backoffMs: z.number().int().min(1).default(1_000),
  maxBackoffMs: z.number().int().min(1).default(60_000),
  /** One HTTP request's time limit, ms. */
  timeoutMs: z.number().int().min(100).default(5_000),
  /** The same alert (rule and message) is sent once per this window, ms. */
  dedupeWindowMs: z.number().int().min(0).default(300_000),
  /** Deliveries waiting per channel; beyond it the oldest are dropped (and counted). */
  maxQueued: z.number().int().min(1).default(1_000),
  rules: z.object({
    /** A venue or the RPC failing every call for this long raises a critical alert, ms. */
    unreachableMs: z.number().int().min(1_000).default(120_000),
    /** A hedge out of sync (severity high or worse) for this long raises an alert and forces a sync, ms. */
    hedgeOutOfSyncMs: z.number().int().min(0).default(60_000),
  }).strict().prefault({}),
}).strict();

export type NotifyConfig = z.infer<typeof notifyConfigSchema>;
export type ChannelConfig = z.infer<typeof channelSchema>;
