// Preloaded into the jsii kernel's node process (NODE_OPTIONS=--require, which
// stackkit/_private/loading.py sets only while the kernel starts), beside
// lazy_provider_index.js.
//
// Why: cdktf and CDK Terrain check the installed Terraform at synthesis for every element
// that needs a recent one: each `terraform_data` resource (>= 1.4), each resource with an
// import block (>= 1.5), each stack with a `moved` block (>= 1.5). Every such check is a
// `ValidateBinaryVersion` whose validate() runs its version command (`terraform version`) in
// a shell with child_process.execSync (lib/validations/validate-binary-version.js, the same
// in both CDKs), about 40-60 ms each.
//
// What: that one file gets a child_process whose execSync runs each distinct command once per
// synthesis and answers the synthesis's later calls with the same output (or throws the same
// error). A synthesis (`app.synth()`) is one request to the kernel, handled in one synchronous
// run of JavaScript: the kernel takes its next request in a later task (`setImmediate` in
// @jsii/runtime's KernelHost.run), so a microtask queued with the first answer forgets all
// answers before the next request. The next synthesis runs the command again and sees a
// Terraform upgraded or downgraded in between. The checks themselves (constraints, messages)
// stay the CDK's. Any other file keeps the real child_process.
//
// The hook: Node's supported module.registerHooks (a synchronous `resolve` hook; Node 22.15
// and 23.5 on) where Node has it, else the CommonJS loader's Module._load.
"use strict";
const Module = require("module");
const path = require("path");
const { fileURLToPath, pathToFileURL } = require("url");
const childProcess = require("child_process");

const VALIDATION_FILE = path.join("lib", "validations", "validate-binary-version.js");
const CDK_PACKAGES = new Set(["cdktf", "cdktn"]);
const CHILD_PROCESS = new Set(["child_process", "node:child_process"]);

function isCdkValidationFile(filename) {
  if (typeof filename !== "string" || !filename.endsWith(VALIDATION_FILE)) return false;
  const packageDir = filename.slice(0, -VALIDATION_FILE.length - 1);
  try {
    return CDK_PACKAGES.has(require(path.join(packageDir, "package.json")).name);
  } catch {
    return false;
  }
}

// command + options -> { output } or { error }, for the synthesis under way; null between.
let outcomes = null;

function execSyncOncePerSynthesis(command, options) {
  if (outcomes === null) {
    outcomes = new Map();
    queueMicrotask(() => {
      outcomes = null;
    });
  }
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
}

// What the CDK's validation file gets for require("child_process"): this module.
module.exports = Object.freeze({ ...childProcess, execSync: execSyncOncePerSynthesis });

if (typeof Module.registerHooks === "function") {
  const self = pathToFileURL(__filename).href;
  Module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (CHILD_PROCESS.has(specifier) && parent?.startsWith("file:") && isCdkValidationFile(fileURLToPath(parent))) {
        return { url: self, format: "commonjs", shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
  });
} else {
  const load = Module._load;
  Module._load = function loadWithVersionCommandsOncePerSynthesis(request, parent, isMain) {
    if (CHILD_PROCESS.has(request) && isCdkValidationFile(parent?.filename)) return module.exports;
    return load.apply(this, arguments);
  };
}
