// Preloaded into the jsii kernel's node process (NODE_OPTIONS=--require), beside
// lazy_provider_index.js.
//
// Why: cdktf and CDK Terrain check the installed Terraform at synthesis for every element
// that needs a recent one: each `terraform_data` resource (>= 1.4), each resource with an
// import block (>= 1.5), each stack with a `moved` block (>= 1.5). Every such check is a
// `ValidateBinaryVersion` whose validate() runs its version command (`terraform version`) in
// a shell with child_process.execSync (lib/validations/validate-binary-version.js, the same
// in both CDKs), about 40-60 ms each: for this repository's six stacks, nearly half of what
// `app.synth()` took.
// The installed binary does not change while one app synthesizes, so this hook gives that
// one file a child_process whose execSync runs each distinct command once per process and
// answers later calls with the same output (or throws the same error). The checks themselves
// (constraints, messages) stay the CDK's. Anything unexpected leaves the file as it is.
"use strict";
const Module = require("module");
const path = require("path");

const VALIDATION_FILE = path.join("lib", "validations", "validate-binary-version.js");
const CDK_PACKAGES = new Set(["cdktf", "cdktn"]);

function isCdkValidationFile(filename) {
  if (typeof filename !== "string" || !filename.endsWith(VALIDATION_FILE)) return false;
  const packageDir = filename.slice(0, -VALIDATION_FILE.length - 1);
  try {
    return CDK_PACKAGES.has(require(path.join(packageDir, "package.json")).name);
  } catch {
    return false;
  }
}

let childProcessOnce;
function childProcessRunningEachCommandOnce(childProcess) {
  if (childProcessOnce) return childProcessOnce;
  const outcomes = new Map();
  const execSyncOnce = function execSyncOnce(command, options) {
    const key = JSON.stringify([command, options ?? null]);
    if (!outcomes.has(key)) {
      try {
        outcomes.set(key, { output: childProcess.execSync(command, options) });
      } catch (error) {
        outcomes.set(key, { error });
      }
    }
    const outcome = outcomes.get(key);
    if (outcome.error) throw outcome.error;
    return Buffer.isBuffer(outcome.output) ? Buffer.from(outcome.output) : outcome.output;
  };
  childProcessOnce = Object.freeze({ ...childProcess, execSync: execSyncOnce });
  return childProcessOnce;
}

const originalLoad = Module._load;
Module._load = function loadWithVersionCommandsOnce(request, parent, isMain) {
  const loaded = originalLoad.apply(this, arguments);
  if (request === "child_process" && isCdkValidationFile(parent?.filename)) {
    return childProcessRunningEachCommandOnce(loaded);
  }
  return loaded;
};
