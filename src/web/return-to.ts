// The return address rule lives in redirects/return-address.ts, where domain code can import it too. These names
// remain only for branches written against them; new code imports the rule itself.
export {
  CONSOLE_DOMAINS as DEFAULT_CONSOLE_DOMAINS,
  localReturnPath as safeLocalPath,
  returnAddress as safeRedirect,
  type ReturnAddressRule as RedirectPolicy,
} from '../redirects/return-address.js';
