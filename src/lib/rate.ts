/** A budget as configured: `BURST/PER_MINUTE` (`40/500` is a bucket of 40 refilled at 500 a minute). */
export interface Rate {
  burst: number;
  perMinute: number;
}
