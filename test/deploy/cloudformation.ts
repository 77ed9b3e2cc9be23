import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';
import { run } from './tools.js';

/** Pseudo parameters the tests resolve intrinsic functions with. */
export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'us-east-1';
export const TEST_STAGE = 'test';
export const TEST_TRUST_ANCHOR = `arn:aws:rolesanywhere:${TEST_REGION}:${TEST_ACCOUNT}:trust-anchor/test-anchor`;

export interface CfnResource {
  readonly Type: string;
  readonly Condition?: string;
  readonly Properties?: Record<string, any>;
}

export interface CfnTemplate {
  readonly Parameters?: Record<string, { Default?: unknown; AllowedPattern?: string }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Condition?: string }>;
}

export interface PackagedService {
  readonly template: CfnTemplate;
  /** The deployment zip osls wrote. */
  readonly zipPath: string;
  /** The folder everything was packaged in (removed by `dispose`). */
  readonly workDir: string;
  dispose(): Promise<void>;
}

/** What the scaler bundle needs: serverless.yml, the handler and the sources it imports. */
const PACKAGED_PATHS = ['serverless.yml', 'package.json', 'tsconfig.json', 'core', 'lambdas'];

/**
 * Runs `sls package` (osls, offline, no credentials) on a copy of the service in a temporary
 * folder, so nothing (.esbuild, .serverless) is written into the working tree.
 */
export async function packageService(params: Record<string, string> = {}): Promise<PackagedService> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-sls-'));
  const serviceDir = path.join(workDir, 'service');
  const outDir = path.join(workDir, 'package');
  await mkdir(serviceDir);
  for (const entry of PACKAGED_PATHS) {
    await cp(path.join(REPO_ROOT, entry), path.join(serviceDir, entry), { recursive: true });
  }
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(serviceDir, 'node_modules'), 'dir');
  const dispose = () => rm(workDir, { recursive: true, force: true });
  const cli = path.join(REPO_ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');
  // Packaging needs no credentials and no network; telemetry and notices stay off.
  const env = { SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' };
  const args = [
    cli,
    'package',
    '--stage',
    TEST_STAGE,
    '--region',
    TEST_REGION,
    '--package',
    outDir,
    ...Object.entries(params).map(([name, value]) => `--param=${name}=${value}`),
  ];
  const result = run(process.execPath, args, { cwd: serviceDir, env, timeoutMs: 240_000 });
  if (result.status !== 0) {
    await dispose();
    throw new Error(`sls package failed (exit ${result.status}):\n${result.output}`);
  }
  const template = JSON.parse(
    await readFile(path.join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as CfnTemplate;
  return { template, zipPath: path.join(outDir, 'glimpse.zip'), workDir, dispose };
}

/** Resources of one type, by logical id. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export function resource(template: CfnTemplate, logicalId: string): CfnResource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId} in the template`);
  return found;
}

/**
 * Resolves the intrinsic functions the template uses (Ref, Fn::GetAtt, Fn::Sub, Fn::Join,
 * Fn::Select, Fn::Base64) to strings, with test values for the pseudo parameters and for ids only
 * AWS knows.
 */
export function resolve(template: CfnTemplate, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`cannot resolve ${JSON.stringify(value)}`);
  }
  const [fn, arg] = Object.entries(value)[0] ?? [];
  switch (fn) {
    case 'Ref':
      return ref(template, arg as string);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = arg as [string, string];
      return getAtt(template, logicalId, attribute);
    }
    case 'Fn::Sub':
      return sub(template, arg as string | [string, Record<string, unknown>]);
    case 'Fn::Join': {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map((part) => resolve(template, part)).join(separator);
    }
    case 'Fn::Select': {
      const [index, list] = arg as [number | string, unknown];
      const item = resolveList(template, list)[Number(index)];
      if (item === undefined) throw new Error(`Fn::Select ${index} out of range`);
      return item;
    }
    case 'Fn::Base64':
      return resolve(template, arg);
    default:
      throw new Error(`cannot resolve ${fn}`);
  }
}

/** Resolves a list: an array of values, or Fn::Split of a string. */
export function resolveList(template: CfnTemplate, value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => resolve(template, item));
  const split = (value as { 'Fn::Split'?: [string, unknown] } | null)?.['Fn::Split'];
  if (split) return resolve(template, split[1]).split(split[0]);
  return [resolve(template, value)];
}

function sub(template: CfnTemplate, arg: string | [string, Record<string, unknown>]): string {
  const [text, variables] = typeof arg === 'string' ? [arg, {}] : arg;
  return text.replace(/\$\{(!?)([^}]+)\}/g, (_, literal: string, name: string) => {
    if (literal) return `\${${name}}`;
    if (name in variables) return resolve(template, variables[name]);
    const [logicalId, attribute] = name.split('.') as [string, string | undefined];
    return attribute ? getAtt(template, logicalId, attribute) : ref(template, name);
  });
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': TEST_REGION,
  'AWS::AccountId': TEST_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::StackName': `glimpse-${TEST_STAGE}`,
};

function ref(template: CfnTemplate, name: string): string {
  if (name in PSEUDO) return PSEUDO[name]!;
  const parameter = template.Parameters?.[name];
  if (parameter) return resolve(template, parameter.Default);
  const target = resource(template, name);
  const properties = target.Properties ?? {};
  switch (target.Type) {
    case 'AWS::SQS::Queue':
      return `https://sqs.${TEST_REGION}.amazonaws.com/${TEST_ACCOUNT}/${resolve(template, properties.QueueName)}`;
    case 'AWS::S3::Bucket':
      return properties.BucketName === undefined
        ? `${name.toLowerCase()}-generated`
        : resolve(template, properties.BucketName);
    case 'AWS::Lambda::Function':
      return resolve(template, properties.FunctionName);
    case 'AWS::EC2::LaunchTemplate':
      return 'lt-0123456789abcdef0';
    case 'AWS::IAM::ManagedPolicy':
      return `arn:aws:iam::${TEST_ACCOUNT}:policy/${name}`;
    default:
      return `${name}-physical-id`;
  }
}

function getAtt(template: CfnTemplate, logicalId: string, attribute: string): string {
  const target = resource(template, logicalId);
  const properties = target.Properties ?? {};
  const key = `${target.Type}.${attribute}`;
  switch (key) {
    case 'AWS::SQS::Queue.QueueName':
      return resolve(template, properties.QueueName);
    case 'AWS::SQS::Queue.Arn':
      return `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:${resolve(template, properties.QueueName)}`;
    case 'AWS::S3::Bucket.Arn':
      return `arn:aws:s3:::${ref(template, logicalId)}`;
    case 'AWS::Lambda::Function.Arn':
      return `arn:aws:lambda:${TEST_REGION}:${TEST_ACCOUNT}:function:${resolve(template, properties.FunctionName)}`;
    case 'AWS::IAM::Role.Arn':
      return `arn:aws:iam::${TEST_ACCOUNT}:role/${logicalId}`;
    case 'AWS::IAM::InstanceProfile.Arn':
      return `arn:aws:iam::${TEST_ACCOUNT}:instance-profile/${logicalId}`;
    case 'AWS::EC2::SecurityGroup.GroupId':
      return 'sg-0123456789abcdef0';
    case 'AWS::RolesAnywhere::Profile.ProfileArn':
      return `arn:aws:rolesanywhere:${TEST_REGION}:${TEST_ACCOUNT}:profile/${logicalId}`;
    default:
      throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute} (${key})`);
  }
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface OwnedStatement {
  /** Logical id of the role, policy or bucket policy holding the statement. */
  readonly owner: string;
  readonly statement: PolicyStatement;
  readonly actions: string[];
  /** Resources resolved to strings. */
  readonly resources: string[];
}

/** Every permission statement of every IAM role, managed policy and bucket policy. */
export function policyStatements(template: CfnTemplate): OwnedStatement[] {
  const owned: OwnedStatement[] = [];
  const add = (owner: string, document: { Statement: PolicyStatement[] } | undefined) => {
    for (const statement of document?.Statement ?? []) {
      owned.push({
        owner,
        statement,
        actions: [statement.Action].flat(),
        resources: [statement.Resource ?? []].flat().map((item) => resolve(template, item)),
      });
    }
  };
  for (const [logicalId, { Type, Properties }] of Object.entries(template.Resources)) {
    if (Type === 'AWS::IAM::Role') {
      for (const policy of Properties?.Policies ?? []) add(logicalId, policy.PolicyDocument);
    }
    if (Type === 'AWS::IAM::ManagedPolicy' || Type === 'AWS::IAM::Policy' || Type === 'AWS::S3::BucketPolicy') {
      add(logicalId, Properties?.PolicyDocument);
    }
  }
  return owned;
}

/** Statements of one owner that grant `action`. */
export function grants(statements: readonly OwnedStatement[], owner: string, action: string): OwnedStatement[] {
  return statements.filter(
    (entry) => entry.owner === owner && entry.statement.Effect === 'Allow' && entry.actions.includes(action),
  );
}

/** A condition value resolved to strings (conditions may hold intrinsic functions). */
export function conditionValues(template: CfnTemplate, statement: PolicyStatement, operator: string, key: string) {
  const value = statement.Condition?.[operator]?.[key];
  return value === undefined ? [] : resolveList(template, value);
}

/** The text between `<<MARKER` and the line `MARKER` of a shell script. */
export function heredoc(script: string, marker: string): string {
  const match = new RegExp(`<<'?${marker}'?\\n([\\s\\S]*?)\\n\\s*${marker}\\n`).exec(script);
  if (!match) throw new Error(`no <<${marker} here-document in the script`);
  return match[1]!;
}
