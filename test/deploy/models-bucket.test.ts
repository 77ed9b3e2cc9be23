import { KNOWN_ENV_VARS } from '#core/config/env-vars.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { DEFAULT_MODEL } from '#core/models/registry.js';
import * as cfn from './cloudformation.js';
import type { CfnTemplate, OwnedStatement, PackagedService } from './cloudformation.js';
import { parseEnvLines } from './tools.js';

const MODELS_BUCKET = `glimpse-models-${cfn.TEST_ACCOUNT}-${cfn.TEST_REGION}`;
const MODELS_BUCKET_ARN = `arn:aws:s3:::${MODELS_BUCKET}`;

describe('serverless.yml: the models bucket (issue 11)', () => {
  let template: CfnTemplate;
  let statements: OwnedStatement[];
  let dispose: PackagedService['dispose'] = async () => undefined;

  beforeAll(async () => {
    const params = { webTrustAnchorArn: cfn.TEST_TRUST_ANCHOR, budgetAlertEmail: 'ops@example.com' };
    ({ template, dispose } = await cfn.packageService({ ...params, models: `${DEFAULT_MODEL},pets` }));
    statements = cfn.policyStatements(template);
  }, 300_000);
  afterAll(() => dispose());

  it('is private, encrypted and versioned', () => {
    const bucket = cfn.resource(template, 'ModelsBucket').Properties!;
    expect(cfn.resolve(template, bucket.BucketName)).toBe(MODELS_BUCKET);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(bucket.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('refuses every action over plain HTTP', () => {
    const denials = statements.filter(
      ({ owner, statement }) => owner === 'ModelsBucketPolicy' && statement.Effect === 'Deny',
    );
    expect(denials).toHaveLength(1);
    const [{ statement, actions, resources }] = denials as [OwnedStatement];
    expect(actions).toEqual(['s3:*']);
    expect(resources).toEqual([MODELS_BUCKET_ARN, `${MODELS_BUCKET_ARN}/*`]);
    expect(statement.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  it.each(['WorkerRole', 'WebTierPolicy'])('lets %s read model folders under models/ and nothing more', (owner) => {
    // Read: objects under models/ only; list: under the models/ prefix only.
    const reads = cfn
      .grants(statements, owner, 's3:GetObject')
      .filter(({ resources }) => resources.some((arn) => arn.startsWith(MODELS_BUCKET_ARN)));
    expect(reads.map(({ resources }) => resources)).toEqual([[`${MODELS_BUCKET_ARN}/models/*`]]);
    const listings = cfn
      .grants(statements, owner, 's3:ListBucket')
      .filter(({ resources }) => resources.includes(MODELS_BUCKET_ARN));
    expect(listings).toHaveLength(1);
    expect(cfn.conditionValues(template, listings[0]!.statement, 'StringLike', 's3:prefix')).toEqual(['models/*']);
    // Nobody but the operator (aws s3 sync) writes or deletes a model.
    const writes = statements.filter(
      ({ owner: holder, statement, actions, resources }) =>
        holder === owner &&
        statement.Effect === 'Allow' &&
        resources.some((arn) => arn.startsWith(MODELS_BUCKET_ARN)) &&
        actions.some((action) => !['s3:GetObject', 's3:ListBucket'].includes(action)),
    );
    expect(writes).toEqual([]);
  });

  it('hands workers the served models and the bucket, under the prefix the IAM grants name', () => {
    // Prepare
    const launchData = cfn.resource(template, 'WorkerLaunchTemplate').Properties!.LaunchTemplateData;
    const env = parseEnvLines(cfn.heredoc(cfn.resolve(template, launchData.UserData), 'ENV'));

    // Act
    const config = loadWorkerConfig({ ...env, GLIMPSE_WORKER_ID: 'i-0123456789abcdef0' });

    // Assess
    for (const name of ['GLIMPSE_MODELS', 'GLIMPSE_MODELS_BUCKET']) expect(KNOWN_ENV_VARS).toContain(name);
    expect(config.model.models).toEqual([DEFAULT_MODEL, 'pets']);
    expect(config.model.bucket).toEqual({ name: MODELS_BUCKET, prefix: 'models/' });
  });

  it('names the bucket in the outputs, for `aws s3 sync ./pets s3://<bucket>/models/pets/`', () => {
    expect(cfn.resolve(template, template.Outputs!.ModelsBucketName!.Value)).toBe(MODELS_BUCKET);
  });
});
