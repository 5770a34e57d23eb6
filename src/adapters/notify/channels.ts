/**
 * The alert channels: a generic JSON webhook (the alert as it is), a Slack-compatible incoming
 * webhook ({"text"}), and Telegram's Bot API (sendMessage). Each is built from its config with
 * its secret read from the environment; a missing secret is a NotifyConfigError at start.
 */
import type { ChannelConfig, Severity } from './notifyConfig.js';
import { alertText, postJson, type AlertMessage, type Notifier } from './notifier.js';

export class NotifyConfigError extends Error {
  override readonly name = 'NotifyConfigError';
}

export function webhookNotifier(name: string, url: string, minSeverity: Severity): Notifier {
  return { name, minSeverity, send: (a: AlertMessage, signal) => postJson(name, url, a, signal) };
}

export function slackNotifier(name: string, url: string, minSeverity: Severity): Notifier {
  return { name, minSeverity, send: (a, signal) => postJson(name, url, { text: alertText(a) }, signal) };
}

export function telegramNotifier(name: string, apiUrl: string, botToken: string, chatId: string | number, minSeverity: Severity): Notifier {
  const url = `${apiUrl.replace(/\/+$/, '')}/bot${botToken}/sendMessage`;
  return { name, minSeverity, send: (a, signal) => postJson(name, url, { chat_id: chatId, text: alertText(a), disable_web_page_preview: true }, signal) };
}

/** The notifier of one configured channel; its secret from `env`. */
export function channelNotifier(c: ChannelConfig, env: NodeJS.ProcessEnv): Notifier {
  const name = c.name ?? c.kind;
  const secret = (variable: string): string => {
    const v = env[variable];
    if (v === undefined || v === '') throw new NotifyConfigError(`alert channel "${name}": environment variable ${variable} is not set`);
    return v;
  };
  switch (c.kind) {
    case 'webhook': return webhookNotifier(name, secret(c.urlEnv), c.minSeverity);
    case 'slack': return slackNotifier(name, secret(c.urlEnv), c.minSeverity);
    case 'telegram': return telegramNotifier(name, c.apiUrl, secret(c.botTokenEnv), c.chatId, c.minSeverity);
  }
}
