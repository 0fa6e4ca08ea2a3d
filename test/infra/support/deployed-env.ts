/** What the results bucket's Ref resolves to in the tests' imagined deployment. */
export const RESULTS_BUCKET = 'status-sweep-results';

/** What CloudFormation resolves the pseudo parameters to, in the tests' imagined deployment. */
export const PSEUDO: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': '123456789012',
};

/**
 * A template value as deployed: strings, pseudo parameters, the results bucket's Ref and
 * `Fn::Join`s of them; `other` resolves any other Ref or Fn::GetAtt (a function's ARN, say).
 */
export function resolveValue(value: unknown, other?: (logicalId: string) => string): string {
  if (typeof value === 'string') return value;
  const {
    Ref: ref,
    'Fn::Join': join,
    'Fn::GetAtt': getAtt,
  } = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]]; 'Fn::GetAtt'?: string[] };
  if (ref !== undefined && PSEUDO[ref] !== undefined) return PSEUDO[ref];
  if (ref?.startsWith('ResultsBucket')) return RESULTS_BUCKET;
  if (join !== undefined) return join[1].map((part) => resolveValue(part, other)).join(join[0]);
  const id = ref ?? getAtt?.[0];
  if (id !== undefined && other !== undefined) return other(id);
  throw new Error(`cannot resolve ${JSON.stringify(value)} offline`);
}

/** A function's environment as deployed (the formatted state machine ARN, the bucket resolved). */
export function deployedEnvironment(variables: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, resolveValue(value)]),
  );
}
