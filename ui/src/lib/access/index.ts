export { ACTIONS, accessFor, type Access, type AccessTarget, type Action } from "./access";
export { CallerProvider } from "./CallerProvider";
export { useAccess } from "./useAccess";
export { useCaller } from "./useCaller";
