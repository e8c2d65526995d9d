
/** A location: a single string, or its parts. */
export type TotLocation =
  | string
  | {
      line1?: string;
      line2?: string;
      locality?: string;
      region?: string;
      regionCode?: string;
      countryName?: string;
      countryCode?: string;
      postalCode?: string;
    };

/** The person being verified, per the Token of Trust tables. */
export interface TotPerson {
  dateOfBirth?: string | { day: number; month: number; year: number };
  location?: TotLocation;
  shippingLocation?: TotLocation;
  billingLocation?: TotLocation;
  email?: string;
  primaryEmail?: string;
  phoneNumber?: string;
  fullName?: string;
  givenName?: string | { current?: string; previous?: string };
  familyName?: string | { current?: string; previous?: string; maternal?: string; paternal?: string };
  middleName?: string;
  orderNumber?: string;
}

export type TotConsentField =
  | "govtId.givenName" | "govtId.familyName" | "govtId.dateOfBirth" | "govtId.expirationTimestamp"
  | "govtId.countryCode" | "govtId.documentType"
  | "tot.givenName" | "tot.familyName" | "tot.dateOfBirth"
  | "tot.location" | "tot.location.line1" | "tot.location.line2" | "tot.location.locality"
  | "tot.location.region" | "tot.location.countryCode" | "tot.location.postalCode"
  | "tot.shippingLocation" | "tot.shippingLocation.line1" | "tot.shippingLocation.line2"
  | "tot.shippingLocation.locality" | "tot.shippingLocation.region" | "tot.shippingLocation.countryCode"
  | "tot.shippingLocation.postalCode"
  | "tot.billingLocation" | "tot.billingLocation.line1" | "tot.billingLocation.line2"
  | "tot.billingLocation.locality" | "tot.billingLocation.region" | "tot.billingLocation.countryCode"
  | "tot.billingLocation.postalCode";

export interface VerifyPersonInput {
  appDomain: string;
  totApiKey: string;
  /** Server-side secret: this function exists only in the Node build. */
  totSecretKey: string;
  appUserid: string;
  person: TotPerson;
  appTransactionId?: string;
  traceId?: string;
  guest?: boolean;
  reservation?: boolean;
  appReservationToken?: string;
  appDataConsentRequested?: TotConsentField[];
  browserFingerprint?: string;
}

/** Validates `input` and returns the JSON body for `POST https://{host}/api/person` (Node build only). */
export function buildVerifyPersonBody(input: VerifyPersonInput): VerifyPersonInput;
