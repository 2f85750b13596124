import type { Policy } from '../policy/policy';
import { decideCase } from './decision-adapter';
import { ruleText, verdictLine } from './explain';
import type { PolicyCase } from './test-cases';

export interface CasesReport {
  passed: number;
  failures: string[];
}

const expected = (c: PolicyCase): string => (c.expect === 'allow' ? 'allow' : `deny${c.errorCode ? ` ${c.errorCode}` : ''}`);

/** Runs every case against the policy; a failure names the case, what it expected and what it got (with the rule). */
export async function runCases(policy: Policy, cases: PolicyCase[]): Promise<CasesReport> {
  const failures: string[] = [];
  let passed = 0;
  for (const c of cases) {
    const got = await decideCase(policy, c);
    const holds = c.expect === 'allow' ? got.allowed : !got.allowed && (c.errorCode === undefined || c.errorCode === got.errorCode);
    if (holds) passed++;
    else
      failures.push(
        `FAIL ${c.name}: expected ${expected(c)}, got ${verdictLine(got)} (${ruleText(got.rule)}${got.message ? `; ${got.message}` : ''})`,
      );
  }
  return { passed, failures };
}
