/** A trading account on a simulated venue and its API credentials (test credentials; never log the secret). */
export interface SimulatedAccount {
  name: string;
  apiKey: string;
  secret: string;
  /** The API passphrase OKX keys are created with (absent: an OKX dialect refuses the key). */
  passphrase?: string;
  /** Starting free balances, decimal strings by asset. */
  balances: Record<string, string>;
}
