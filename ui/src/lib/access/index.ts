export { ACTIONS, accessFor, bothAllow, denied, deniedItemProps, deniedProps, type Access, type AccessTarget, type Action } from "./access";
export { CallerProvider } from "./CallerProvider";
export { useAccess } from "./useAccess";
export { useCaller } from "./useCaller";
