import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, type TestServer, restoreClockAfterEach } from '../support/server.js';
import { Ims, Ram, expectApiError, imsClient, ramClient } from '../support/sdk.js';
import { bindNewDeviceForLogon, getUserMfaDevice, verifyUserMfaCode } from '../../src/ram/mfa.js';
import { newTotpSecret } from '../../src/ram/totp.js';

const oathtool = (secret: string, unixSeconds: number): string =>
  execFileSync('oathtool', ['--totp', '-b', '-N', `@${unixSeconds}`, secret], { encoding: 'utf8' }).trim();

// A sequential journey: one user's virtual MFA device is created, refused, bound, used, unbound and deleted; each test
// continues from the device state the one before left.
describe('virtual MFA devices', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  let ram: any;
  let ims: any;
  let domain: string;

  /** Seconds of the server clock, at the start of its current TOTP step. */
  const stepStart = (): number => Math.floor(server.clock.now().getTime() / 30_000) * 30;
  /**
   * Two consecutive codes as a person reads them off the app: the previous step's, then the current one. The clock
   * is read once, so the pair cannot straddle a 30 s boundary; pass `at` to derive more codes from the same reading.
   */
  const consecutiveCodes = (seed: string, at: number = stepStart()): [string, string] => [oathtool(seed, at - 30), oathtool(seed, at)];
  const db = () => server.gatehouse.services.store.db;
  const userId = async (name: string): Promise<string> =>
    (await db().selectFrom('ram_users').select('id').where('account_id', '=', server.accountId).where('name', '=', name).executeTakeFirstOrThrow()).id;
  const createDevice = async (name: string) =>
    (await ram.createVirtualMFADevice(new Ram.CreateVirtualMFADeviceRequest({ virtualMFADeviceName: name }))).body.virtualMFADevice;

  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
    ims = imsClient(server.url, server.root);
    for (const name of ['alice', 'bob', 'carol', 'dave']) await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
    domain = (await db().selectFrom('account_domains').select('domain_name').where('account_id', '=', server.accountId).where('kind', '=', 'default').executeTakeFirstOrThrow()).domain_name;
  });
  after(async () => server.close());

  it('creates a device with its seed and a QR code, once per name', async () => {
    const device = await createDevice('alice-phone');
    assert.equal(device.serialNumber, `acs:ram::${server.accountId}:mfa/alice-phone`);
    assert.match(device.base32StringSeed, /^[A-Z2-7]{32}$/);
    assert.equal(Buffer.from(device.QRCodePNG, 'base64').subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
    const again = await expectApiError(ram.createVirtualMFADevice(new Ram.CreateVirtualMFADeviceRequest({ virtualMFADeviceName: 'alice-phone' })));
    assert.deepEqual([again.code, again.statusCode], ['EntityAlreadyExists.VirtualMFADevice', 409]);
    const stored = await db().selectFrom('mfa_devices').select('secret_sealed').where('serial_number', '=', device.serialNumber).executeTakeFirstOrThrow();
    assert.ok(!stored.secret_sealed.includes(device.base32StringSeed), 'the seed is sealed at rest');
  });

  it('refuses device names with bad characters or length', async () => {
    const chars = await expectApiError(ram.createVirtualMFADevice(new Ram.CreateVirtualMFADeviceRequest({ virtualMFADeviceName: 'a_b' })));
    assert.deepEqual([chars.code, chars.statusCode], ['InvalidParameter.VirtualMFADeviceName.InvalidChars', 400]);
    const long = await expectApiError(ram.createVirtualMFADevice(new Ram.CreateVirtualMFADeviceRequest({ virtualMFADeviceName: 'x'.repeat(65) })));
    assert.deepEqual([long.code, long.statusCode], ['InvalidParameter.VirtualMFADeviceName.Length', 400]);
  });

  it('refuses wrong or non-consecutive codes and binds nothing', async () => {
    const device = await createDevice('bob-phone');
    const seed = device.base32StringSeed;
    const bind = (code1: string, code2: string) =>
      ram.bindMFADevice(new Ram.BindMFADeviceRequest({ userName: 'bob', serialNumber: device.serialNumber, authenticationCode1: code1, authenticationCode2: code2 }));
    const at = stepStart();
    const [previous, current] = consecutiveCodes(seed, at);
    for (const [code1, code2] of [
      [current, previous], // reversed
      [oathtool(seed, at - 60), current], // a step skipped
      [current, current],
      [previous, String((Number(current) + 1) % 1_000_000).padStart(6, '0')],
    ] as const) {
      const error = await expectApiError(bind(code1, code2));
      assert.deepEqual([error.code, error.statusCode], ['CheckAuthenticationCodeFail', 403]);
    }
    const format = await expectApiError(bind('12345', current));
    assert.deepEqual([format.code, format.statusCode], ['InvalidParameter.AuthenticationCode.Format', 400]);
    const missing = await expectApiError(ram.getUserMFAInfo(new Ram.GetUserMFAInfoRequest({ userName: 'bob' })));
    assert.deepEqual([missing.code, missing.statusCode], ['EntityNotExist.User.MFADevice', 404]);
    assert.equal(await getUserMfaDevice(db(), await userId('bob')), undefined);
  });

  it('binds with two consecutive codes from the returned seed, and reports the device', async () => {
    const device = await createDevice('carol-phone');
    const [code1, code2] = consecutiveCodes(device.base32StringSeed);
    await ram.bindMFADevice(new Ram.BindMFADeviceRequest({ userName: 'carol', serialNumber: device.serialNumber, authenticationCode1: code1, authenticationCode2: code2 }));
    const info = (await ram.getUserMFAInfo(new Ram.GetUserMFAInfoRequest({ userName: 'carol' }))).body;
    assert.deepEqual({ serialNumber: info.MFADevice.serialNumber, type: info.MFADevice.type }, { serialNumber: device.serialNumber, type: 'VMFA' });
    const viaIms = (await ims.getUserMFAInfo(new Ims.GetUserMFAInfoRequest({ userPrincipalName: `carol@${domain}` }))).body;
    assert.equal(viaIms.isMFAEnable, true);
    assert.deepEqual({ serialNumber: viaIms.MFADevice.serialNumber, type: viaIms.MFADevice.type }, { serialNumber: device.serialNumber, type: 'VMFA' });
    const none = (await ims.getUserMFAInfo(new Ims.GetUserMFAInfoRequest({ userPrincipalName: `alice@${domain}` }))).body;
    assert.equal(none.isMFAEnable, false);

    const listed = (await ram.listVirtualMFADevices()).body.virtualMFADevices.virtualMFADevice;
    const carol = listed.find((d: any) => d.serialNumber === device.serialNumber);
    assert.equal(carol.user.userName, 'carol');
    assert.match(carol.activateDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(listed.find((d: any) => d.serialNumber.endsWith('/alice-phone')).user, undefined);
  });

  it('allows one device per user and one user per device', async () => {
    const other = await createDevice('carol-spare');
    const [code1, code2] = consecutiveCodes(other.base32StringSeed);
    const twice = await expectApiError(
      ram.bindMFADevice(new Ram.BindMFADeviceRequest({ userName: 'carol', serialNumber: other.serialNumber, authenticationCode1: code1, authenticationCode2: code2 })),
    );
    assert.deepEqual([twice.code, twice.statusCode], ['EntityAlreadyExists.User.MFADevice', 409]);
    const taken = await expectApiError(
      ram.bindMFADevice(
        new Ram.BindMFADeviceRequest({ userName: 'dave', serialNumber: `acs:ram::${server.accountId}:mfa/carol-phone`, authenticationCode1: code1, authenticationCode2: code2 }),
      ),
    );
    assert.deepEqual([taken.code, taken.statusCode], ['EntityAlreadyExists.VirtualMFADevice.User', 409]);
    const unknown = await expectApiError(
      ram.bindMFADevice(new Ram.BindMFADeviceRequest({ userName: 'dave', serialNumber: `acs:ram::${server.accountId}:mfa/nope`, authenticationCode1: code1, authenticationCode2: code2 })),
    );
    assert.deepEqual([unknown.code, unknown.statusCode], ['EntityNotExist.VirtualMFADevice', 404]);
  });

  it('accepts each logon code once only', async () => {
    const seed = newTotpSecret();
    const id = await userId('dave');
    const [code1, code2] = consecutiveCodes(seed);
    await bindNewDeviceForLogon(db(), server.gatehouse.services.secrets, {
      accountId: server.accountId, userId: id, userName: 'dave', secret: seed, code1, code2, now: server.clock.now(),
    });
    const secrets = server.gatehouse.services.secrets;
    assert.equal(await verifyUserMfaCode(db(), secrets, id, code2, server.clock.now()), false, 'the binding code is used up');
    server.clock.advance(30_000);
    const next = oathtool(seed, stepStart());
    assert.equal(await verifyUserMfaCode(db(), secrets, id, next, server.clock.now()), true);
    assert.equal(await verifyUserMfaCode(db(), secrets, id, next, server.clock.now()), false, 'replay refused');
    // Two nodes racing with the same fresh code: exactly one accepts it.
    server.clock.advance(30_000);
    const fresh = oathtool(seed, stepStart());
    const results = await Promise.all([1, 2, 3].map(() => verifyUserMfaCode(db(), secrets, id, fresh, server.clock.now())));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await verifyUserMfaCode(db(), secrets, await userId('alice'), fresh, server.clock.now()), false, 'no device, no pass');
    const info = (await ram.getUserMFAInfo(new Ram.GetUserMFAInfoRequest({ userName: 'dave' }))).body;
    assert.equal(info.MFADevice.serialNumber, `acs:ram::${server.accountId}:mfa/dave`);
  });

  it('unbinds, after which the device can be deleted but not before', async () => {
    const serial = `acs:ram::${server.accountId}:mfa/carol-phone`;
    const bound = await expectApiError(ram.deleteVirtualMFADevice(new Ram.DeleteVirtualMFADeviceRequest({ serialNumber: serial })));
    assert.deepEqual([bound.code, bound.statusCode], ['DeleteConflict.VirtualMFADevice.User', 409]);
    const unbound = (await ram.unbindMFADevice(new Ram.UnbindMFADeviceRequest({ userName: 'carol' }))).body;
    assert.equal(unbound.MFADevice.serialNumber, serial);
    const missing = await expectApiError(ram.getUserMFAInfo(new Ram.GetUserMFAInfoRequest({ userName: 'carol' })));
    assert.equal(missing.code, 'EntityNotExist.User.MFADevice');
    const again = await expectApiError(ram.unbindMFADevice(new Ram.UnbindMFADeviceRequest({ userName: 'carol' })));
    assert.deepEqual([again.code, again.statusCode], ['EntityNotExist.User.MFADevice', 404]);
    await ram.deleteVirtualMFADevice(new Ram.DeleteVirtualMFADeviceRequest({ serialNumber: serial }));
    const gone = await expectApiError(ram.deleteVirtualMFADevice(new Ram.DeleteVirtualMFADeviceRequest({ serialNumber: serial })));
    assert.deepEqual([gone.code, gone.statusCode], ['EntityNotExist.VirtualMFADevice', 404]);
  });

  it('does the same through IMS, keyed by UserPrincipalName', async () => {
    const device = (await ims.createVirtualMFADevice(new Ims.CreateVirtualMFADeviceRequest({ virtualMFADeviceName: 'ims-bob' }))).body.virtualMFADevice;
    const [code1, code2] = consecutiveCodes(device.base32StringSeed);
    await ims.bindMFADevice(
      new Ims.BindMFADeviceRequest({ userPrincipalName: `bob@${domain}`, serialNumber: device.serialNumber, authenticationCode1: code1, authenticationCode2: code2 }),
    );
    const page = (await ims.listVirtualMFADevices(new Ims.ListVirtualMFADevicesRequest({ maxItems: 1 }))).body;
    assert.equal(page.isTruncated, true);
    assert.equal(page.virtualMFADevices.virtualMFADevice.length, 1);
    const rest = (await ims.listVirtualMFADevices(new Ims.ListVirtualMFADevicesRequest({ marker: page.marker, maxItems: 100 }))).body;
    const bob = rest.virtualMFADevices.virtualMFADevice.find((d: any) => d.serialNumber === device.serialNumber);
    assert.equal(bob.user.userPrincipalName, `bob@${domain}`);
    const unknown = await expectApiError(ims.getUserMFAInfo(new Ims.GetUserMFAInfoRequest({ userPrincipalName: 'bob@elsewhere.onaliyun.com' })));
    assert.deepEqual([unknown.code, unknown.statusCode], ['EntityNotExist.User', 404]);
    await ims.unbindMFADevice(new Ims.UnbindMFADeviceRequest({ userPrincipalName: `bob@${domain}` }));
    await ims.deleteVirtualMFADevice(new Ims.DeleteVirtualMFADeviceRequest({ serialNumber: device.serialNumber }));
    assert.equal((await ims.getUserMFAInfo(new Ims.GetUserMFAInfoRequest({ userPrincipalName: `bob@${domain}` }))).body.isMFAEnable, false);
  });
});
