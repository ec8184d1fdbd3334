// Drives one acsconform mock address with the vendor's official Node.js
// SDK: the generated @alicloud/resourcemanager20200331 client for
// ResourceManager 2020-03-31, and @alicloud/openapi-core's callApi for
// ResourceDirectoryMaster 2022-04-19 (no generated package of that version
// exists). Each family is a workflow in which what one call makes the next
// reads, changes and removes. Every call is printed as one JSON line; the
// process exits 1 when a call did not answer as the workflow expects.
//
// Environment: ACSCONFORM_ENDPOINT (host:port), ACSCONFORM_KEY_ID,
// ACSCONFORM_KEY_SECRET, ACSCONFORM_INVITEE (an account that may be
// invited), ACSCONFORM_SIGNATURE (v3, or v1 for HMAC-SHA1).
'use strict';

const RM = require('@alicloud/resourcemanager20200331');
const Core = require('@alicloud/openapi-core');
const OpenApi = Core.default || Core;
const { $OpenApiUtil, OpenApiUtil } = Core;

const endpoint = process.env.ACSCONFORM_ENDPOINT;
const signature = process.env.ACSCONFORM_SIGNATURE || 'v3';
const config = {
  accessKeyId: process.env.ACSCONFORM_KEY_ID,
  accessKeySecret: process.env.ACSCONFORM_KEY_SECRET,
  endpoint,
  protocol: 'HTTP',
  readTimeout: 10000,
  connectTimeout: 5000,
};
if (signature === 'v1') {
  config.signatureAlgorithm = 'v2'; // openapi-core's name for the RPC HMAC-SHA1 path
}

const rm = new RM.default(new $OpenApiUtil.Config(config));
const core = new OpenApi(new $OpenApiUtil.Config(config));
let failed = 0;

function report(family, action, ok, detail) {
  if (!ok) failed++;
  process.stdout.write(JSON.stringify({ family, action, signature, ok, detail }) + '\n');
}

// expect runs one call and checks what it answers: ok(body) for a success,
// or the error code when want names one.
async function expect(family, action, call, want) {
  try {
    const res = await call();
    const body = res && res.body ? res.body : res;
    if (want && want.code) {
      report(family, action, false, 'succeeded, want ' + want.code);
      return undefined;
    }
    if (want && want.check) {
      const problem = want.check(body);
      report(family, action, !problem, problem || 'ok');
      return body;
    }
    report(family, action, true, 'ok');
    return body;
  } catch (e) {
    const code = (e && (e.code || (e.data && e.data.Code))) || String(e);
    if (want && want.code) {
      report(family, action, code === want.code, code === want.code ? want.code : 'answered ' + code + ', want ' + want.code);
    } else {
      report(family, action, false, 'failed: ' + code + ' ' + (e && e.message ? e.message.slice(0, 200) : ''));
    }
    return undefined;
  }
}

// rdm calls ResourceDirectoryMaster 2022-04-19 through callApi.
function rdm(action, query) {
  const params = new $OpenApiUtil.Params({
    action, version: '2022-04-19', protocol: 'HTTP', pathname: '/', method: 'POST',
    authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  const req = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
  return core.callApi(params, req, new (require('@darabonba/typescript').RuntimeOptions)({}));
}

const unique = signature + Date.now().toString(36);

async function main() {
  const dir = await expect('directory', 'GetResourceDirectory', () => rm.getResourceDirectory(), {
    check: (b) => (b.resourceDirectory && b.resourceDirectory.rootFolderId ? '' : 'no RootFolderId'),
  });
  if (!dir) return;
  const root = dir.resourceDirectory.rootFolderId;

  // Folders, made through 2020-03-31 and tagged through 2022-04-19.
  const made = await expect('folder', 'CreateFolder', () => rm.createFolder(new RM.CreateFolderRequest({ folderName: 'node' + unique, parentFolderId: root })), {
    check: (b) => (b.folder && b.folder.folderName === 'node' + unique ? '' : 'the folder answered is not the one asked for: ' + JSON.stringify(b.folder)),
  });
  if (made) {
    const id = made.folder.folderId;
    await expect('folder', 'GetFolder', () => rm.getFolder(new RM.GetFolderRequest({ folderId: id })), {
      check: (b) => (b.folder.parentFolderId === root ? '' : 'parent ' + b.folder.parentFolderId),
    });
    await expect('folder', 'UpdateFolder', () => rm.updateFolder(new RM.UpdateFolderRequest({ folderId: id, newFolderName: 'renamed' + unique })));
    await expect('tags', 'TagResources(Folder)', () => rdm('TagResources', { ResourceType: 'Folder', 'ResourceId.1': id, 'Tag.1.Key': 'team', 'Tag.1.Value': 'node' }));
    await expect('tags', 'ListTagResources(Folder)', () => rdm('ListTagResources', { ResourceType: 'Folder', 'ResourceId.1': id }), {
      check: (b) => (b.TagResources && b.TagResources.length === 1 && b.TagResources[0].TagKey === 'team' ? '' : JSON.stringify(b)),
    });
    await expect('tags', 'UntagResources(Folder)', () => rdm('UntagResources', { ResourceType: 'Folder', 'ResourceId.1': id, 'TagKey.1': 'team' }));
    await expect('folder', 'GetFolder(renamed)', () => rm.getFolder(new RM.GetFolderRequest({ folderId: id })), {
      check: (b) => (b.folder.folderName === 'renamed' + unique ? '' : 'name ' + b.folder.folderName),
    });
    await expect('folder', 'DeleteFolder', () => rm.deleteFolder(new RM.DeleteFolderRequest({ folderId: id })));
    await expect('folder', 'GetFolder(deleted)', () => rm.getFolder(new RM.GetFolderRequest({ folderId: id })), { code: 'EntityNotExists.Folder' });
  }

  // Resource accounts.
  const acct = await expect('account', 'CreateResourceAccount', () => rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'node' + unique, accountNamePrefix: 'node' + unique })), {
    check: (b) => (b.account && b.account.accountId ? '' : 'no AccountId'),
  });
  if (acct) {
    const id = acct.account.accountId;
    await expect('account', 'GetAccount', () => rm.getAccount(new RM.GetAccountRequest({ accountId: id })), {
      check: (b) => (b.account.displayName === 'node' + unique ? '' : 'display name ' + b.account.displayName),
    });
    await expect('account', 'UpdateAccount', () => rm.updateAccount(new RM.UpdateAccountRequest({ accountId: id, newDisplayName: 'nodeb' + unique })));
    await expect('tags', 'TagResources(Account)', () => rdm('TagResources', { ResourceType: 'Account', 'ResourceId.1': id, 'Tag.1.Key': 'env', 'Tag.1.Value': 'node' }));
    await expect('account', 'GetAccount(2022-04-19)', () => rdm('GetAccount', { AccountId: id }), {
      check: (b) => (b.Account && b.Account.DisplayName === 'nodeb' + unique ? '' : JSON.stringify(b.Account)),
    });
  }

  // Invitations.
  const hs = await expect('handshake', 'InviteAccountToResourceDirectory', () => rm.inviteAccountToResourceDirectory(new RM.InviteAccountToResourceDirectoryRequest({
    targetEntity: process.env.ACSCONFORM_INVITEE, targetType: 'Account' })), { check: (b) => (b.handshake && b.handshake.handshakeId ? '' : 'no HandshakeId') });
  if (hs) {
    const id = hs.handshake.handshakeId;
    await expect('handshake', 'GetHandshake(2022-04-19)', () => rdm('GetHandshake', { HandshakeId: id }), {
      check: (b) => (b.Handshake && b.Handshake.Status === 'Pending' ? '' : JSON.stringify(b.Handshake)),
    });
    await expect('handshake', 'CancelHandshake', () => rm.cancelHandshake(new RM.CancelHandshakeRequest({ handshakeId: id })), {
      check: (b) => (b.handshake.status === 'Cancelled' ? '' : 'status ' + b.handshake.status),
    });
  }

  // Control policies.
  const doc = '{"Version":"1","Statement":[{"Effect":"Deny","Action":["ram:DeleteRole"],"Resource":"*"}]}';
  const cp = await expect('control-policy', 'CreateControlPolicy', () => rm.createControlPolicy(new RM.CreateControlPolicyRequest({ policyName: 'node' + unique, effectScope: 'RAM', policyDocument: doc })), {
    check: (b) => (b.controlPolicy && b.controlPolicy.policyId ? '' : 'no PolicyId'),
  });
  if (cp) {
    const id = cp.controlPolicy.policyId;
    await expect('control-policy', 'AttachControlPolicy', () => rm.attachControlPolicy(new RM.AttachControlPolicyRequest({ policyId: id, targetId: root })));
    await expect('control-policy', 'ListControlPolicyAttachmentsForTarget', () => rm.listControlPolicyAttachmentsForTarget(new RM.ListControlPolicyAttachmentsForTargetRequest({ targetId: root })), {
      check: (b) => (b.controlPolicyAttachments.controlPolicyAttachment.some((a) => a.policyId === id) ? '' : 'not listed'),
    });
    await expect('control-policy', 'DetachControlPolicy', () => rm.detachControlPolicy(new RM.DetachControlPolicyRequest({ policyId: id, targetId: root })));
    await expect('control-policy', 'DeleteControlPolicy', () => rm.deleteControlPolicy(new RM.DeleteControlPolicyRequest({ policyId: id })));
  }

  // Resource groups.
  const rg = await expect('resource-group', 'CreateResourceGroup', () => rm.createResourceGroup(new RM.CreateResourceGroupRequest({ name: 'node' + unique, displayName: 'Node' })), {
    check: (b) => (b.resourceGroup && b.resourceGroup.name === 'node' + unique ? '' : JSON.stringify(b.resourceGroup)),
  });
  if (rg) {
    const id = rg.resourceGroup.id;
    await expect('resource-group', 'UpdateResourceGroup', () => rm.updateResourceGroup(new RM.UpdateResourceGroupRequest({ resourceGroupId: id, newDisplayName: 'NodeB' })));
    await expect('resource-group', 'GetResourceGroup', () => rm.getResourceGroup(new RM.GetResourceGroupRequest({ resourceGroupId: id })), {
      check: (b) => (b.resourceGroup.displayName === 'NodeB' ? '' : 'display name ' + b.resourceGroup.displayName),
    });
    await expect('resource-group', 'ListResourceGroups', () => rm.listResourceGroups(new RM.ListResourceGroupsRequest({ resourceGroupId: id })), {
      check: (b) => (b.totalCount === 1 ? '' : 'TotalCount ' + b.totalCount),
    });
    await expect('resource-group', 'DeleteResourceGroup', () => rm.deleteResourceGroup(new RM.DeleteResourceGroupRequest({ resourceGroupId: id })));
  }

  // RAM policies and their versions.
  const pdoc = '{"Statement":[{"Action":"oss:GetObject","Effect":"Allow","Resource":"*"}],"Version":"1"}';
  const pol = await expect('policy', 'CreatePolicy', () => rm.createPolicy(new RM.CreatePolicyRequest({ policyName: 'node' + unique, policyDocument: pdoc })));
  if (pol) {
    const name = 'node' + unique;
    await expect('policy', 'CreatePolicyVersion', () => rm.createPolicyVersion(new RM.CreatePolicyVersionRequest({ policyName: name, policyDocument: pdoc, setAsDefault: true })), {
      check: (b) => (b.policyVersion.versionId === 'v2' ? '' : 'version ' + b.policyVersion.versionId),
    });
    await expect('policy', 'GetPolicy', () => rm.getPolicy(new RM.GetPolicyRequest({ policyName: name, policyType: 'Custom' })), {
      check: (b) => (b.policy.defaultVersion === 'v2' ? '' : 'default ' + b.policy.defaultVersion),
    });
    await expect('policy', 'DeletePolicy(with versions)', () => rm.deletePolicy(new RM.DeletePolicyRequest({ policyName: name })), { code: 'DeleteConflict.Policy.Version' });
    await expect('policy', 'DeletePolicyVersion', () => rm.deletePolicyVersion(new RM.DeletePolicyVersionRequest({ policyName: name, versionId: 'v1' })));
    await expect('policy', 'DeletePolicy', () => rm.deletePolicy(new RM.DeletePolicyRequest({ policyName: name })));
  }

  // Roles.
  const trust = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::1728412355001000:root"]}}],"Version":"1"}';
  const role = await expect('role', 'CreateRole', () => rm.createRole(new RM.CreateRoleRequest({ roleName: 'Node' + unique, assumeRolePolicyDocument: trust })));
  if (role) {
    await expect('role', 'GetRole', () => rm.getRole(new RM.GetRoleRequest({ roleName: 'Node' + unique })), {
      check: (b) => (b.role.roleName === 'Node' + unique ? '' : 'name ' + b.role.roleName),
    });
    await expect('role', 'DeleteRole', () => rm.deleteRole(new RM.DeleteRoleRequest({ roleName: 'Node' + unique })));
  }

  // Message contacts (2022-04-19 only).
  const ct = await expect('contact', 'AddMessageContact', () => rdm('AddMessageContact', {
    Name: signature === 'v1' ? 'NodeOne' : 'NodeThree', EmailAddress: 'node' + unique + '@example.com', Title: 'TechnicalDirector', PhoneNumber: '86-13900001234', 'MessageTypes.1': 'AccountExpenses' }), {
    check: (b) => (b.Contact && b.Contact.ContactId ? '' : JSON.stringify(b)),
  });
  if (ct) {
    await expect('contact', 'GetMessageContact', () => rdm('GetMessageContact', { ContactId: ct.Contact.ContactId }));
    await expect('contact', 'DeleteMessageContact', () => rdm('DeleteMessageContact', { ContactId: ct.Contact.ContactId }));
  }
}

main().then(() => process.exit(failed ? 1 : 0), (e) => {
  process.stdout.write(JSON.stringify({ family: 'driver', action: 'main', signature, ok: false, detail: String(e && e.stack || e) }) + '\n');
  process.exit(1);
});
