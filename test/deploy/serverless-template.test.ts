import { DELIVERED_WEBHOOKS_PREFIX } from '#core/webhooks/delivered-webhooks.js';
import { WEBHOOK_MAX_RECEIVE_COUNT } from '#core/aws/provision.js';
import { loadQueuePolicy, loadResourceNames } from '#core/config/resource-names.js';
import { KNOWN_ENV_VARS } from '#core/config/env-vars.js';
import { loadScalerConfig } from '#core/config/scaler-config.js';
import { loadWorkerConfig } from '#core/config/worker-config.js';
import { FLEET_TAG_KEYS, WORKER_ROLE } from '#core/fleet/fleet-tags.js';
import {
  ALL_METRIC_NAMES,
  DEFAULT_METRICS_NAMESPACE,
  SCALER_METRICS,
  WORKER_METRICS,
} from '#core/metrics/metric-names.js';
import { batchKeyFor } from '#core/storage/batch-store.js';
import { HEARTBEAT_PREFIX, inputKeyFor, resultKeyFor } from '#core/storage/object-keys.js';
import {
  conditionValues,
  grants,
  heredoc,
  packageService,
  policyStatements,
  resolve,
  resource,
  resourcesOfType,
  TEST_ACCOUNT,
  TEST_REGION,
  TEST_TRUST_ANCHOR,
  type CfnTemplate,
  type OwnedStatement,
  type PackagedService,
} from './cloudformation.js';
import { parseEnvLines, requireTool, run } from './tools.js';

/** With the default fleet name the stack's queues carry the code's default names. */
const FLEET = 'glimpse';
const names = loadResourceNames({});
const queuePolicy = loadQueuePolicy({});
const uploadsPrefix = inputKeyFor('');
const resultsPrefix = resultKeyFor('').replace(/\.json$/, '');
/** Two types, so the tests see a list reach the scaler, the launch template and the IAM condition. */
const INSTANCE_TYPES = ['g4dn.xlarge', 'g6.xlarge'];
const BUDGET_EMAIL = 'ops@example.com';
const ALARM_TOPIC = `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:glimpse-alarms`;

describe('serverless.yml packaged by osls (sls package, offline)', () => {
  let packaged: PackagedService;
  let template: CfnTemplate;
  let statements: OwnedStatement[];

  beforeAll(async () => {
    packaged = await packageService({
      webTrustAnchorArn: TEST_TRUST_ANCHOR,
      workerInstanceTypes: INSTANCE_TYPES.join(','),
      budgetAlertEmail: BUDGET_EMAIL,
      alarmTopicArn: ALARM_TOPIC,
    });
    template = packaged.template;
    statements = policyStatements(template);
  }, 300_000);

  afterAll(async () => {
    await packaged?.dispose();
  });

  describe('scaler function', () => {
    it('runs the scaler handler on Node 24, bundled as ESM with #core resolved', () => {
      const fn = resource(template, 'ScalerLambdaFunction').Properties!;
      expect(fn.Runtime).toBe('nodejs24.x');
      expect(fn.Handler).toBe('lambdas/scaler/main.handler');
      expect(fn.Timeout).toBeGreaterThanOrEqual(50);
      expect(fn.Timeout).toBeLessThanOrEqual(60);

      const listing = run(requireTool('unzip'), ['-Z1', packaged.zipPath]);
      expect(listing.stdout.split('\n')).toContain('lambdas/scaler/main.mjs');
      const bundle = run(requireTool('unzip'), ['-p', packaged.zipPath, 'lambdas/scaler/main.mjs']).stdout;
      expect(bundle).not.toMatch(/from\s*["']#core\//);
      expect(bundle).not.toMatch(/import\(\s*["']#core\//);
      expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b/);
    });

    it('is scheduled every minute and never retried (the next tick supersedes a late one)', () => {
      const rules = resourcesOfType(template, 'AWS::Events::Rule');
      expect(rules).toHaveLength(1);
      const rule = rules[0]![1].Properties!;
      expect(rule.ScheduleExpression).toBe('rate(1 minute)');
      expect(rule.State).toBe('ENABLED');
      expect(rule.Targets[0].Arn).toEqual({ 'Fn::GetAtt': ['ScalerLambdaFunction', 'Arn'] });
      const [[, invokeConfig]] = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig') as [[string, any]];
      expect(invokeConfig.Properties).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    });

    it('gets an environment of known variables that the scaler config loader accepts', () => {
      const variables = resource(template, 'ScalerLambdaFunction').Properties!.Environment.Variables;
      const env = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, resolve(template, value)]),
      ) as Record<string, string>;
      for (const name of Object.keys(env)) expect(KNOWN_ENV_VARS).toContain(name);

      const config = loadScalerConfig(env, 'aws');
      expect(config.fleetName).toBe(FLEET);
      expect(config.metricsNamespace).toBe(DEFAULT_METRICS_NAMESPACE);
      expect(config.policy.maxWorkers).toBe(19);
      expect(config.names).toEqual({
        ...names,
        inputBucket: `${FLEET}-input-${TEST_ACCOUNT}-${TEST_REGION}`,
        outputBucket: `${FLEET}-output-${TEST_ACCOUNT}-${TEST_REGION}`,
      });
      expect(config.ec2).toMatchObject({ instanceTypes: INSTANCE_TYPES, useSpot: true });
      expect(variables.GLIMPSE_LAUNCH_TEMPLATE_ID).toEqual({ Ref: 'WorkerLaunchTemplate' });
    });
  });

  describe('IAM', () => {
    it('allows no "*" or "service:*" action; denies only "s3:*" over plain HTTP', () => {
      expect(statements.length).toBeGreaterThan(20);
      for (const { owner, statement, actions } of statements) {
        if (statement.Effect === 'Deny') {
          expect([owner, actions, statement.Condition]).toEqual([
            owner,
            ['s3:*'],
            { Bool: { 'aws:SecureTransport': 'false' } },
          ]);
          continue;
        }
        for (const action of actions) {
          expect(`${owner}: ${action}`).toMatch(/^\w+: [a-z0-9-]+:[A-Z][A-Za-z0-9]+$/);
        }
      }
    });

    it('lets every role list a bucket only under its own prefixes', () => {
      const allowed = new Map([
        [`arn:aws:s3:::${FLEET}-input-${TEST_ACCOUNT}-${TEST_REGION}`, [`${uploadsPrefix}*`]],
        [`arn:aws:s3:::${FLEET}-output-${TEST_ACCOUNT}-${TEST_REGION}`, [`${resultsPrefix}*`, `${HEARTBEAT_PREFIX}*`]],
        [`arn:aws:s3:::${FLEET}-models-${TEST_ACCOUNT}-${TEST_REGION}`, ['models/*']],
      ]);
      const listings = statements.filter(
        ({ statement, actions }) => statement.Effect === 'Allow' && actions.includes('s3:ListBucket'),
      );
      expect(listings.length).toBeGreaterThanOrEqual(5);
      for (const { owner, statement, actions, resources } of listings) {
        const label = `${owner}/${statement.Sid}`;
        const prefixes = ['StringLike', 'StringLikeIfExists'].flatMap((operator) =>
          conditionValues(template, statement, operator, 's3:prefix'),
        );
        expect([label, actions, resources.length, prefixes.length]).toEqual([label, ['s3:ListBucket'], 1, 1]);
        expect([label, allowed.get(resources[0]!)]).toEqual([label, expect.arrayContaining(prefixes)]);
      }
    });

    it('allows resource "*" only for DescribeInstances, ListQueues and namespace-bound PutMetricData', () => {
      const unscoped = statements.filter(
        ({ statement, resources }) => statement.Effect === 'Allow' && resources.includes('*'),
      );
      expect(unscoped.length).toBeGreaterThan(0);
      for (const { owner, statement, actions } of unscoped) {
        expect([owner, actions]).toEqual([
          owner,
          [expect.stringMatching(/^(ec2:DescribeInstances|sqs:ListQueues|cloudwatch:PutMetricData)$/)],
        ]);
        if (actions[0] === 'cloudwatch:PutMetricData') {
          expect(conditionValues(template, statement, 'StringEquals', 'cloudwatch:namespace')).toEqual([
            DEFAULT_METRICS_NAMESPACE,
          ]);
        }
      }
    });

    it('scopes every other resource to this account and region, our names, prefixes or a condition', () => {
      for (const { owner, statement, resources } of statements) {
        if (statement.Effect !== 'Allow') continue;
        for (const arn of resources.filter((item) => item !== '*')) {
          const label = `${owner}/${statement.Sid ?? '?'}: ${arn}`;
          expect(label).toMatch(
            new RegExp(
              `: arn:aws:(s3:::${FLEET}-(input|output|models)-${TEST_ACCOUNT}-${TEST_REGION}` +
                `|ec2:${TEST_REGION}:(${TEST_ACCOUNT})?:|sqs:${TEST_REGION}:${TEST_ACCOUNT}:${FLEET}-` +
                `|lambda:${TEST_REGION}:${TEST_ACCOUNT}:function:glimpse-|iam::${TEST_ACCOUNT}:role/` +
                `|logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/aws/lambda/glimpse-)`,
            ),
          );
          // A wildcard over EC2 resources is only allowed under a condition.
          if (/^arn:aws:ec2:.*\/\*$/.test(arn))
            expect([label, statement.Condition]).toEqual([label, expect.any(Object)]);
        }
      }
    });

    describe('scaler', () => {
      const scaler = 'IamRoleLambdaExecution';
      const launchTemplateArn = `arn:aws:ec2:${TEST_REGION}:${TEST_ACCOUNT}:launch-template/lt-0123456789abcdef0`;

      it('launches only from the worker launch template, and only instances tagged as our workers', () => {
        const launches = grants(statements, scaler, 'ec2:RunInstances');
        expect(launches.length).toBeGreaterThan(0);
        for (const { statement } of launches) {
          expect(conditionValues(template, statement, 'ArnEquals', 'ec2:LaunchTemplate')).toEqual([launchTemplateArn]);
        }
        const instanceGrant = launches.filter(({ resources }) => resources.some((arn) => /:instance\//.test(arn)));
        expect(instanceGrant).toHaveLength(1);
        const { statement } = instanceGrant[0]!;
        expect(conditionValues(template, statement, 'StringEquals', 'ec2:InstanceType')).toEqual(INSTANCE_TYPES);
        // ec2:InstanceType exists for the instance only: on the other resources it would deny every launch.
        for (const other of launches.filter((launch) => launch !== instanceGrant[0])) {
          expect(conditionValues(template, other.statement, 'StringEquals', 'ec2:InstanceType')).toEqual([]);
        }
        expect(conditionValues(template, statement, 'StringEquals', `aws:RequestTag/${FLEET_TAG_KEYS.fleet}`)).toEqual([
          FLEET,
        ]);
        expect(conditionValues(template, statement, 'StringEquals', `aws:RequestTag/${FLEET_TAG_KEYS.role}`)).toEqual([
          WORKER_ROLE,
        ]);
        expect(launches.flatMap(({ resources }) => resources)).toContain(launchTemplateArn);
      });

      it('tags only while launching, terminates only our tagged workers, passes only the worker role', () => {
        const [tagging, ...moreTagging] = grants(statements, scaler, 'ec2:CreateTags');
        expect(moreTagging).toHaveLength(0);
        expect(conditionValues(template, tagging!.statement, 'StringEquals', 'ec2:CreateAction')).toEqual([
          'RunInstances',
        ]);

        const [terminate, ...moreTerminate] = grants(statements, scaler, 'ec2:TerminateInstances');
        expect(moreTerminate).toHaveLength(0);
        expect(terminate!.resources).toEqual([`arn:aws:ec2:${TEST_REGION}:${TEST_ACCOUNT}:instance/*`]);
        const tagKey = `ec2:ResourceTag/${FLEET_TAG_KEYS.fleet}`;
        expect(conditionValues(template, terminate!.statement, 'StringEquals', tagKey)).toEqual([FLEET]);

        const [pass] = grants(statements, scaler, 'iam:PassRole');
        expect(pass!.resources).toEqual([`arn:aws:iam::${TEST_ACCOUNT}:role/WorkerRole`]);
        expect(conditionValues(template, pass!.statement, 'StringEquals', 'iam:PassedToService')).toEqual([
          'ec2.amazonaws.com',
        ]);
      });

      it('reads queue depth and heartbeats, sweeps abandoned response queues, settles dead-lettered jobs; nothing else', () => {
        const sqsArn = (queue: string) => `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:${queue}`;
        const responses = sqsArn(`${FLEET}-responses-*`);
        const outputArn = `arn:aws:s3:::${FLEET}-output-${TEST_ACCOUNT}-${TEST_REGION}`;
        const granted = (action: string) =>
          grants(statements, scaler, action)
            .flatMap((grant) => grant.resources)
            .sort();
        expect(granted('sqs:GetQueueAttributes')).toEqual(
          [sqsArn(names.requestQueue), sqsArn(names.deadLetterQueue), responses].sort(),
        );
        // The sweep deletes only response queues.
        expect(granted('sqs:DeleteQueue')).toEqual([responses]);
        // Dead-lettered jobs: taken from the dead-letter queue only, sent back or answered.
        for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) {
          expect([action, granted(action)]).toEqual([action, [sqsArn(names.deadLetterQueue)]]);
        }
        // …and a worker_lost job's webhook requested.
        expect(granted('sqs:SendMessage')).toEqual(
          [sqsArn(names.requestQueue), responses, sqsArn(names.webhookQueue)].sort(),
        );
        expect(granted('s3:GetObject')).toEqual([
          `${outputArn}/${HEARTBEAT_PREFIX}*`,
          `${outputArn}/${resultsPrefix}*`,
        ]);
        expect(granted('s3:PutObject')).toEqual([`${outputArn}/${resultsPrefix}*`]);
        expect(granted('s3:ListBucket')).toEqual([outputArn, outputArn]);
        const scalerActions = statements.filter((s) => s.owner === scaler).flatMap((s) => s.actions);
        expect([...new Set(scalerActions.filter((a) => /^(s3|sqs):/.test(a)))].sort()).toEqual(
          [
            's3:GetObject',
            's3:ListBucket',
            's3:PutObject',
            'sqs:ChangeMessageVisibility',
            'sqs:DeleteMessage',
            'sqs:DeleteQueue',
            'sqs:GetQueueAttributes',
            'sqs:GetQueueUrl',
            'sqs:ListQueueTags',
            'sqs:ListQueues',
            'sqs:ReceiveMessage',
            'sqs:SendMessage',
          ].sort(),
        );
      });
    });

    describe('worker instance role', () => {
      const worker = 'WorkerRole';
      const inputArn = `arn:aws:s3:::${FLEET}-input-${TEST_ACCOUNT}-${TEST_REGION}`;
      const outputArn = `arn:aws:s3:::${FLEET}-output-${TEST_ACCOUNT}-${TEST_REGION}`;

      it('reads uploads and earlier results, writes results and heartbeats, consumes the request queue, replies by prefix, dead-letters non-jobs', () => {
        expect(grants(statements, worker, 's3:GetObject').flatMap((s) => s.resources)).toEqual([
          `${inputArn}/${uploadsPrefix}*`,
          `${outputArn}/${resultsPrefix}*`,
          `arn:aws:s3:::${FLEET}-models-${TEST_ACCOUNT}-${TEST_REGION}/models/*`,
        ]);
        expect(grants(statements, worker, 's3:PutObject').flatMap((s) => s.resources)).toEqual([
          `${outputArn}/${resultsPrefix}*`,
          `${outputArn}/${HEARTBEAT_PREFIX}*`,
        ]);
        const requestArn = `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:${names.requestQueue}`;
        for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) {
          expect(grants(statements, worker, action).flatMap((s) => s.resources)).toEqual([requestArn]);
        }
        expect(grants(statements, worker, 'sqs:SendMessage').flatMap((s) => s.resources)).toEqual([
          `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:${names.deadLetterQueue}`,
          `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:${names.responseQueuePrefix}*`,
          `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:${names.webhookQueue}`,
        ]);
      });

      it('terminates only itself', () => {
        const [terminate, ...more] = grants(statements, worker, 'ec2:TerminateInstances');
        expect(more).toHaveLength(0);
        expect(terminate!.resources).toEqual([`arn:aws:ec2:${TEST_REGION}:${TEST_ACCOUNT}:instance/*`]);
        // ${ec2:InstanceID} stays a policy variable: the id of the instance being terminated.
        expect(conditionValues(template, terminate!.statement, 'ArnEquals', 'ec2:SourceInstanceARN')).toEqual([
          `arn:aws:ec2:${TEST_REGION}:${TEST_ACCOUNT}:instance/\${ec2:InstanceID}`,
        ]);
      });

      it('is the role of the launch template instance profile', () => {
        const profile = resource(template, 'WorkerInstanceProfile').Properties!;
        expect(profile.Roles).toEqual([{ Ref: worker }]);
        expect(resource(template, worker).Properties!.AssumeRolePolicyDocument.Statement).toEqual([
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ]);
      });
    });

    describe('web tier (OpenStack)', () => {
      const web = 'WebTierPolicy';

      it('stores uploads, reads results, sends jobs, owns response queues by prefix, nudges the scaler', () => {
        const inputArn = `arn:aws:s3:::${FLEET}-input-${TEST_ACCOUNT}-${TEST_REGION}`;
        expect(grants(statements, web, 's3:PutObject').flatMap((s) => s.resources)).toContain(
          `${inputArn}/${uploadsPrefix}*`,
        );
        expect(grants(statements, web, 's3:GetObject').flatMap((s) => s.resources)).toContain(
          `arn:aws:s3:::${FLEET}-output-${TEST_ACCOUNT}-${TEST_REGION}/${resultsPrefix}*`,
        );
        expect(grants(statements, web, 'sqs:SendMessage').flatMap((s) => s.resources)).toContain(
          `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:${names.requestQueue}`,
        );
        const responseArn = `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:${names.responseQueuePrefix}*`;
        for (const action of ['sqs:CreateQueue', 'sqs:DeleteQueue']) {
          expect(grants(statements, web, action).flatMap((s) => s.resources)).toEqual([responseArn]);
        }
        for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage']) {
          expect(grants(statements, web, action).flatMap((s) => s.resources)).toContain(responseArn);
        }
        expect(grants(statements, web, 'lambda:InvokeFunction').flatMap((s) => s.resources)).toEqual([
          `arn:aws:lambda:${TEST_REGION}:${TEST_ACCOUNT}:function:glimpse-test-scaler`,
        ]);
      });

      it('ends jobs early (results, inputs), consumes the deadline queue and keeps idempotency keys', () => {
        const inputArn = `arn:aws:s3:::${FLEET}-input-${TEST_ACCOUNT}-${TEST_REGION}`;
        const outputArn = `arn:aws:s3:::${FLEET}-output-${TEST_ACCOUNT}-${TEST_REGION}`;
        expect(grants(statements, web, 's3:PutObject').flatMap((s) => s.resources)).toEqual(
          expect.arrayContaining([`${outputArn}/${resultsPrefix}*`, `${outputArn}/idempotency/*`]),
        );
        expect(grants(statements, web, 's3:DeleteObject').flatMap((s) => s.resources)).toEqual([
          `${inputArn}/${uploadsPrefix}*`,
          `${inputArn}/pixels/*`,
          `${outputArn}/idempotency/*`,
        ]);
        const deadlineArn = `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:${names.deadlineQueue}`;
        for (const action of ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']) {
          expect(grants(statements, web, action).flatMap((s) => s.resources)).toContain(deadlineArn);
        }
      });

      it('requests and delivers webhooks: the webhook queue, and notes of delivered webhooks', () => {
        const webhookArn = `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT}:${names.webhookQueue}`;
        for (const action of [
          'sqs:SendMessage',
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
        ]) {
          expect(grants(statements, web, action).flatMap((s) => s.resources)).toContain(webhookArn);
        }
        const outputArn = `arn:aws:s3:::${FLEET}-output-${TEST_ACCOUNT}-${TEST_REGION}`;
        for (const action of ['s3:GetObject', 's3:PutObject']) {
          expect(grants(statements, web, action).flatMap((s) => s.resources)).toContain(
            `${outputArn}/${DELIVERED_WEBHOOKS_PREFIX}*`,
          );
        }
        expect(resource(template, 'OutputBucket').Properties!.LifecycleConfiguration.Rules).toContainEqual(
          expect.objectContaining({ Status: 'Enabled', Prefix: DELIVERED_WEBHOOKS_PREFIX }),
        );
      });

      it('writes and reads the batches of multi-file requests', () => {
        const batchesArn = `arn:aws:s3:::${FLEET}-output-${TEST_ACCOUNT}-${TEST_REGION}/${batchKeyFor('')}`;
        for (const action of ['s3:PutObject', 's3:GetObject']) {
          expect(grants(statements, web, action).flatMap((s) => s.resources)).toContain(
            batchesArn.replace(/\.json$/, '*'),
          );
        }
      });

      it("is the Roles Anywhere role's, trusting only our trust anchor and the web server's certificate", () => {
        const role = resource(template, 'WebTierRole');
        expect(role.Properties!.ManagedPolicyArns).toEqual([{ Ref: web }]);
        const [trust] = role.Properties!.AssumeRolePolicyDocument.Statement;
        expect(trust.Principal).toEqual({ Service: 'rolesanywhere.amazonaws.com' });
        expect(trust.Action).toEqual(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']);
        expect(trust.Condition).toEqual({
          ArnEquals: { 'aws:SourceArn': TEST_TRUST_ANCHOR },
          StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'glimpse-web' },
        });
        const profile = resource(template, 'WebTierRolesAnywhereProfile');
        expect(profile.Type).toBe('AWS::RolesAnywhere::Profile');
        expect(profile.Properties!.RoleArns).toEqual([{ 'Fn::GetAtt': ['WebTierRole', 'Arn'] }]);
        expect(template.Outputs!.WebTierRoleArn!.Value).toEqual({ 'Fn::GetAtt': ['WebTierRole', 'Arn'] });
      });

      it('has no IAM user and no access key: nothing long-lived', () => {
        expect(resourcesOfType(template, 'AWS::IAM::User')).toEqual([]);
        expect(resourcesOfType(template, 'AWS::IAM::AccessKey')).toEqual([]);
      });
    });
  });

  describe('queues', () => {
    it('are named as the code expects, encrypted, with the dead-letter redrive', () => {
      const request = resource(template, 'RequestQueue').Properties!;
      const deadLetter = resource(template, 'DeadLetterQueue').Properties!;
      expect(request.QueueName).toBe(names.requestQueue);
      expect(deadLetter.QueueName).toBe(names.deadLetterQueue);
      expect(request.SqsManagedSseEnabled).toBe(true);
      expect(deadLetter.SqsManagedSseEnabled).toBe(true);
      expect(request.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] },
        maxReceiveCount: queuePolicy.maxReceiveCount,
      });
      expect(request.VisibilityTimeout).toBeGreaterThanOrEqual(queuePolicy.visibilityTimeoutSeconds);
      const deadlines = resource(template, 'DeadlineQueue').Properties!;
      expect(deadlines.QueueName).toBe(names.deadlineQueue);
      expect(deadlines.SqsManagedSseEnabled).toBe(true);
    });

    it('dead-letter a webhook delivery after its 16 tries (about a day of back-off), as the local stack does', () => {
      const webhooks = resource(template, 'WebhookQueue').Properties!;
      const deadLetter = resource(template, 'WebhookDeadLetterQueue').Properties!;
      expect([webhooks.QueueName, deadLetter.QueueName]).toEqual([names.webhookQueue, names.webhookDeadLetterQueue]);
      expect([webhooks.SqsManagedSseEnabled, deadLetter.SqsManagedSseEnabled]).toEqual([true, true]);
      expect(webhooks.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': ['WebhookDeadLetterQueue', 'Arn'] },
        maxReceiveCount: WEBHOOK_MAX_RECEIVE_COUNT,
      });
    });
  });

  describe('buckets', () => {
    it.each(['InputBucket', 'OutputBucket'])('%s blocks public access, encrypts, refuses plain HTTP', (bucket) => {
      const properties = resource(template, bucket).Properties!;
      expect(properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const [rule] = properties.BucketEncryption.ServerSideEncryptionConfiguration;
      expect(['AES256', 'aws:kms']).toContain(rule.ServerSideEncryptionByDefault.SSEAlgorithm);
      const [, policy] = resourcesOfType(template, 'AWS::S3::BucketPolicy').find(
        ([, candidate]) => candidate.Properties!.Bucket.Ref === bucket,
      )!;
      const [deny] = policy.Properties!.PolicyDocument.Statement;
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      const arn = `arn:aws:s3:::${resolve(template, { Ref: bucket })}`;
      expect(deny.Resource.map((item: unknown) => resolve(template, item))).toEqual([arn, `${arn}/*`]);
    });

    it('the deployment bucket refuses plain HTTP for every action too', () => {
      const [deny] = resource(template, 'DeploymentBucketPolicy').Properties!.PolicyDocument.Statement;
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    });

    it('expire results after the configured days, and uploads optionally', () => {
      const output = resource(template, 'OutputBucket').Properties!.LifecycleConfiguration.Rules;
      expect(output).toContainEqual(
        expect.objectContaining({ Status: 'Enabled', Prefix: resultsPrefix, ExpirationInDays: 7 }),
      );
      const input = resource(template, 'InputBucket').Properties!.LifecycleConfiguration.Rules;
      expect(input).toContainEqual(expect.objectContaining({ Prefix: uploadsPrefix }));
    });
  });

  describe('worker launch template', () => {
    const data = () => resource(template, 'WorkerLaunchTemplate').Properties!.LaunchTemplateData;

    it('requires IMDSv2, uses the Packer AMI parameter, the instance profile and the first instance type', () => {
      expect(data().MetadataOptions).toEqual({
        HttpEndpoint: 'enabled',
        HttpTokens: 'required',
        HttpPutResponseHopLimit: 1,
      });
      expect(data().ImageId).toEqual({ Ref: 'WorkerAmiId' });
      expect(resolve(template, data().InstanceType)).toBe(INSTANCE_TYPES[0]);
      expect(data().IamInstanceProfile).toEqual({ Arn: { 'Fn::GetAtt': ['WorkerInstanceProfile', 'Arn'] } });
      const amiParameter = template.Parameters!.WorkerAmiId!;
      const pattern = new RegExp(amiParameter.AllowedPattern!);
      expect(pattern.test('ami-0123456789abcdef0')).toBe(true);
      expect(pattern.test(String(amiParameter.Default))).toBe(false);
    });

    it('has a security group that admits nothing', () => {
      expect(data().SecurityGroupIds).toEqual([{ 'Fn::GetAtt': ['WorkerSecurityGroup', 'GroupId'] }]);
      const group = resource(template, 'WorkerSecurityGroup').Properties!;
      expect(group.SecurityGroupIngress).toBeUndefined();
      expect(resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress')).toEqual([]);
    });

    it('writes a worker environment of known variables that the worker config loader accepts', () => {
      const script = resolve(template, data().UserData);
      const env = parseEnvLines(heredoc(script, 'ENV'));
      for (const name of Object.keys(env)) expect(KNOWN_ENV_VARS).toContain(name);
      const config = loadWorkerConfig({ ...env, GLIMPSE_WORKER_ID: 'i-0123456789abcdef0' });
      expect(config).toMatchObject({
        selfTerminate: true,
        metricsSink: 'cloudwatch',
        metricsNamespace: DEFAULT_METRICS_NAMESPACE,
        names: {
          ...names,
          inputBucket: `${FLEET}-input-${TEST_ACCOUNT}-${TEST_REGION}`,
          outputBucket: `${FLEET}-output-${TEST_ACCOUNT}-${TEST_REGION}`,
        },
        queue: { maxReceiveCount: queuePolicy.maxReceiveCount },
      });
      expect(env.GLIMPSE_FLEET_NAME).toBe(FLEET);
      const request = resource(template, 'RequestQueue').Properties!;
      expect(config.queue.visibilityTimeoutSeconds).toBe(request.VisibilityTimeout);
      expect(config.queue.maxReceiveCount).toBe(request.RedrivePolicy.maxReceiveCount);
    });

    it('has user data that passes shellcheck', () => {
      const script = resolve(template, data().UserData);
      const result = run(requireTool('shellcheck'), ['--shell=bash', '-'], { input: script });
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });
  });

  describe('dashboard and alarms', () => {
    type MetricRow = { namespace: string; name: string; dimensions: string[]; stat?: string };

    const dashboardRows = (): MetricRow[] => {
      const body = JSON.parse(resolve(template, resource(template, 'Dashboard').Properties!.DashboardBody));
      return body.widgets.flatMap((widget: any) =>
        (widget.properties.metrics as unknown[][]).filter(isMetricRow).map((row) => {
          const strings = row.filter((item): item is string => typeof item === 'string');
          const options = row.find((item) => typeof item === 'object') as { stat?: string } | undefined;
          const [namespace, name, ...dimensions] = strings;
          return { namespace: namespace!, name: name!, dimensions, stat: options?.stat ?? widget.properties.stat };
        }),
      );
    };

    /** A metric row starts with its namespace; a metric-math row is one object with an `expression`. */
    const isMetricRow = (row: unknown[]) => typeof row[0] === 'string';

    const costWidget = () => {
      const body = JSON.parse(resolve(template, resource(template, 'Dashboard').Properties!.DashboardBody));
      return body.widgets.find((widget: any) => /^Cost receipt/.test(widget.properties.title)).properties;
    };

    it('has a cost widget: worker-seconds from the fleet count, dollars per 1000 images at the price', () => {
      const widget = costWidget();
      const rows = widget.metrics as unknown[][];
      const ids = Object.fromEntries(
        rows.map((row) => {
          const options = row.find((item) => typeof item === 'object') as { id: string; expression?: string };
          return [options.id, isMetricRow(row) ? row[1] : options.expression];
        }),
      );
      expect(ids).toEqual({
        fleet: SCALER_METRICS.workersInFleet,
        images: WORKER_METRICS.imagesClassified,
        workerSeconds: 'fleet * PERIOD(fleet)',
        per1000: '1000 * workerSeconds * 0.526 / 3600 / images',
      });
      expect(widget.title).toContain('0.526 $ per worker-hour');
    });

    it('names only metrics the code emits, each with the Fleet dimension', () => {
      const rows = dashboardRows();
      const ours = rows.filter((row) => row.namespace === DEFAULT_METRICS_NAMESPACE);
      expect(ours.length).toBeGreaterThan(0);
      for (const row of ours) {
        expect(ALL_METRIC_NAMES).toContain(row.name);
        expect(row.dimensions).toEqual(['Fleet', FLEET]);
      }
      const others = rows.filter((row) => row.namespace !== DEFAULT_METRICS_NAMESPACE);
      for (const row of others) {
        expect(['AWS/SQS', 'AWS/Lambda']).toContain(row.namespace);
      }
    });

    it('shows backlog, in-flight, age of oldest job, workers, desired, throughput, p50/p95 latency, DLQ, errors', () => {
      const rows = dashboardRows();
      const has = (namespace: string, name: string, dimensions?: string[], stat?: string) =>
        expect(rows).toContainEqual(
          expect.objectContaining({
            namespace,
            name,
            ...(dimensions ? { dimensions } : {}),
            ...(stat ? { stat } : {}),
          }),
        );
      for (const name of [
        SCALER_METRICS.backlog,
        SCALER_METRICS.inFlight,
        SCALER_METRICS.workersPending,
        SCALER_METRICS.workersRunning,
        SCALER_METRICS.desiredWorkers,
      ]) {
        has(DEFAULT_METRICS_NAMESPACE, name);
      }
      has(DEFAULT_METRICS_NAMESPACE, WORKER_METRICS.imagesClassified, undefined, 'Sum');
      has(DEFAULT_METRICS_NAMESPACE, WORKER_METRICS.imagesFailed, undefined, 'Sum');
      has(DEFAULT_METRICS_NAMESPACE, WORKER_METRICS.endToEndMs, undefined, 'p50');
      has(DEFAULT_METRICS_NAMESPACE, WORKER_METRICS.endToEndMs, undefined, 'p95');
      has('AWS/SQS', 'ApproximateAgeOfOldestMessage', ['QueueName', names.requestQueue]);
      has('AWS/SQS', 'ApproximateNumberOfMessagesVisible', ['QueueName', names.deadLetterQueue]);
    });

    it('has a monthly cost budget that mails the required address and notifies the alarm topic', () => {
      const budgets = resourcesOfType(template, 'AWS::Budgets::Budget');
      expect(budgets).toHaveLength(1);
      const [, budget] = budgets[0]!;
      expect(budget!.Properties!.Budget).toMatchObject({
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 200, Unit: 'USD' },
      });
      const notifications = budget!.Properties!.NotificationsWithSubscribers as Array<Record<string, any>>;
      expect(notifications.map(({ Notification }) => Notification)).toEqual([
        { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' },
        {
          NotificationType: 'FORECASTED',
          ComparisonOperator: 'GREATER_THAN',
          Threshold: 100,
          ThresholdType: 'PERCENTAGE',
        },
      ]);
      for (const { Subscribers } of notifications) {
        expect(Subscribers).toEqual([
          { SubscriptionType: 'EMAIL', Address: { Ref: 'BudgetAlertEmail' } },
          { 'Fn::If': ['HasAlarmTopic', { SubscriptionType: 'SNS', Address: ALARM_TOPIC }, { Ref: 'AWS::NoValue' }] },
        ]);
      }
      // The address is a parameter the deploy cannot leave empty.
      const email = template.Parameters!.BudgetAlertEmail!;
      expect(email.Default).toBe(BUDGET_EMAIL);
      const pattern = new RegExp(email.AllowedPattern!);
      expect(pattern.test(BUDGET_EMAIL)).toBe(true);
      expect(pattern.test('')).toBe(false);
    });

    it('alarms when the dead-letter queue is not empty and when the oldest job is too old', () => {
      const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => ({
        ...alarm.Properties,
        queue: resolve(template, alarm.Properties!.Dimensions[0].Value),
      }));
      expect(alarms).toContainEqual(
        expect.objectContaining({
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          queue: names.deadLetterQueue,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
      expect(alarms).toContainEqual(
        expect.objectContaining({
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateAgeOfOldestMessage',
          queue: names.requestQueue,
          Threshold: 300,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
    });
  });

  it('outputs what the web tier and the operators need', () => {
    expect(Object.keys(template.Outputs!)).toEqual(
      expect.arrayContaining([
        'RequestQueueUrl',
        'RequestQueueName',
        'DeadLetterQueueUrl',
        'ResponseQueuePrefix',
        'InputBucketName',
        'OutputBucketName',
        'WorkerLaunchTemplateId',
        'ScalerFunctionName',
        'WebTierRoleArn',
        'WebTierRolesAnywhereProfileArn',
      ]),
    );
    expect(resolve(template, template.Outputs!.ResponseQueuePrefix!.Value)).toBe(names.responseQueuePrefix);
  });
});
