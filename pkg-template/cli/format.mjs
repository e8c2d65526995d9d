// Text output shared by the commands.

const iso = (seconds) => (typeof seconds === "number" ? new Date(seconds * 1000).toISOString().replace(".000Z", "Z") : "?");

/** One line about a typed event (parseOstEvent / parseTotEvent). */
export function describeEvent(event) {
  if (event?.provider === "ost") {
    return `OST ${event.name} #${event.id ?? "?"} (type ${event.type ?? "?"}, source ${event.source ?? "?"}, created ${iso(event.createdAt)})`;
  }
  if (event?.provider === "tot") {
    const who = event.appUserId ? `, user ${event.appUserId}` : "";
    return `Token of Trust ${event.name ?? event.operation ?? "(unnamed event)"} ${event.eventId ?? ""} (status ${event.status}${who}, at ${iso(event.timestamp)})`.replace("  ", " ");
  }
  return "event";
}

/** `rows` as aligned "label  value" lines. */
export function table(rows) {
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return rows.map(([l, v]) => `${l.padEnd(width)}${v}`).join("\n");
}

/** An HTTP answer's body for a terminal: one line, at most `max` characters. */
export function shortBody(text, max = 300) {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** The error of a failed verification as `{code, message}`. */
export function errorOf(e) {
  return { code: typeof e?.code === "string" ? e.code : "INTERNAL", message: String(e?.message ?? e) };
}

export const isKycError = (e) => e !== null && typeof e === "object" && e.name === "KycError" && typeof e.code === "string";
