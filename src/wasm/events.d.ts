

/** A typed OST webhook event; ids, timestamps and counts in `data` are numbers. */
export interface OstEvent {
  /** Which provider sent it: tells `OstEvent` and `TotEvent` apart. */
  provider: "ost";
  id: number | null;
  name: OstEventName | (string & {});
  type: string | null;
  source: "web" | "api" | "kyc_system" | (string & {}) | null;
  version: string | null;
  description: string | null;
  /** Unix seconds. */
  createdAt: number | null;
  /** Unix seconds. */
  requestTimestamp: number | null;
  data: { [key: string]: ParamValue };
  /** The name is not one the documentation lists (the event is kept all the same). */
  unknown: boolean;
  unknownSource: boolean;
}

/** A typed Token of Trust webhook event. */
export interface TotEvent {
  /** Which provider sent it: tells `OstEvent` and `TotEvent` apart. */
  provider: "tot";
  appUserId: string | null;
  appTransactionId: string | null;
  appDomain: string | null;
  operation: string | null;
  name: string | null;
  eventId: string | null;
  /** Unix seconds, parsed from the RFC 1123 form. */
  timestamp: number | null;
  gates: { [gate: string]: unknown };
  reasons: { [reason: string]: unknown };
  /** From the gates, by `reasonIsPositive`, in this order of precedence. */
  status: "rejected" | "updateRequested" | "cleared" | "submitted" | "pending";
}

/** A typed OST event from verified webhook parameters. */
export function parseOstEvent(params: OstWebhookParams | { [key: string]: ParamValue }): OstEvent;

/** A typed Token of Trust event from a verified webhook body (object or JSON text). */
export function parseTotEvent(body: unknown): TotEvent;

/**
 * The seed's rule: process `incoming` only when its timestamp is greater than the stored one, and never the
 * same `eventId`/`id` twice. `stored` may be an event, Unix seconds, an RFC 1123 string, or nothing.
 */
export function isNewerEvent(
  stored: OstEvent | TotEvent | number | string | null | undefined,
  incoming: OstEvent | TotEvent | number | string,
): boolean;
