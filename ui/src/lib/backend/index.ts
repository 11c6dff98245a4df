export { BackendError, GENERIC_FAILURE, toBackendError, type Backend, type BackendCapabilities } from "./backend";
export { BackendProvider } from "./BackendProvider";
export { useBackend } from "./useBackend";
