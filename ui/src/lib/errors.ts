import type { BackendError } from "./backend";

export const UNDECRYPTABLE_SENTENCE =
  "This ciphertext could not be unwrapped: it was changed, it belongs to another key, or the additional authenticated data differs from the wrap.";

/** A sentence for a person, chosen by the error's code rather than its wording. */
export function describe(error: BackendError): string {
  switch (error.code) {
    case "UNDECRYPTABLE":
      return UNDECRYPTABLE_SENTENCE;
    case "NOT_A_ROOT_KEY":
      return "This is a standard key; only root keys can wrap, unwrap and rotate.";
    case "PAYLOAD_REQUIRED":
      return "This key's material was imported, so rotating it needs new key material in base64.";
    case "RESTORE_EXPIRED":
      return "This key was destroyed too long ago to be restored.";
    case "IMPORT_TOKEN_EXPIRED":
      return "The import token has expired or was used up. Start the import again to get a new one.";
    case "INCORRECT_NONCE":
      return "The key material did not match the import token. Start the import again.";
    case "UNAUTHENTICATED":
      return "The keystore did not accept the credentials. Check the API key of this connection.";
    case "FORBIDDEN":
      return "Your role does not allow this. Ask a Manager of this instance for access.";
    case "NOT_DUAL_AUTH":
      return "This key does not need a second authorization to be deleted.";
    case "AUTHORIZATIONS_NOT_MET":
      return "This key needs two people to delete it: another user must first authorize the deletion (within the last 7 days).";
    case "PURGE_TOO_EARLY":
      return "A deleted key can be purged only 4 hours after its deletion.";
    case "PROTECTED_RESOURCE":
      return "Resources of other services are registered to this key. Deleting it anyway makes their data unreadable.";
    case "DELETION_PREVENTED":
      return "A resource registered to this key must be kept (a retention hold), so the key cannot be deleted, not even by force. The service that registered the resource must lift the hold first.";
    case "REGISTRATION_NEEDS_ROOT_KEY":
      return "Only root keys protect registered resources; this is a standard key.";
    case "SERVICE_ONLY":
      return "Only the service that protects a resource can register it with a key.";
    case "CREATE_IMPORT_ACCESS":
      return `${sentence(error.message)}. A Manager can change this under Policies, in "Create and import access".`;
    case "KEY_RING_IN_USE":
    case "ALIAS_TAKEN":
      return sentence(error.message);
    case "HOST_UNREACHABLE":
      return "The remote instance could not be reached. Check its URL and the network.";
    case "TLS_FAILURE":
      return "The remote instance's certificate was not trusted. Check its URL, or add its CA certificate to this connection.";
    case "BAD_API_KEY":
      return "IAM did not accept the API key of this connection.";
    case "WRONG_INSTANCE":
      return "The API key is valid, but not for this instance. Check the instance ID of this connection.";
    case "TIMEOUT":
      return "The remote instance did not answer in time. A change may or may not have been made: reload before trying again.";
    case "NOT_SUPPORTED":
      return "This instance does not offer that: it is not a Strongroom server (IBM Key Protect has no such filter or page). Nothing was changed.";
    case "NOT_FOUND":
    case "INVALID_INPUT":
    case "INVALID_STATE":
    case "KEY_DELETED":
    case "ROTATION_TOO_SOON":
    case "CONFLICT":
    case "KEYSTORE_UNAVAILABLE":
    case "INTERNAL":
      return sentence(error.message);
  }
}

/** Backend messages are lower-case clauses (Rust style); people read sentences. */
export function sentence(message: string): string {
  const trimmed = message.trim();
  if (trimmed === "") return trimmed;
  const capitalized = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}
