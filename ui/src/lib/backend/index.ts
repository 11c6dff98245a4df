export { BackendError, GENERIC_FAILURE, toBackendError, type Backend } from "./backend";
export { BackendProvider } from "./BackendProvider";
export { useBackend } from "./useBackend";
