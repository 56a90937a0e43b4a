// Preloaded into the jsii kernel's node process (NODE_OPTIONS=--require).
//
// Why: the jsii kernel loads a package by requiring its index, and the index of
// @cdktf/provider-aws (cdktf) or @cdktn/provider-aws (CDK Terrain) eagerly requires all
// ~2,200-2,400 resource submodules (about 3.5 s and 2.9 s).
// A JavaScript app avoids that by importing submodules; the kernel cannot. This hook
// serves the provider's index as an object whose submodules are required on first
// access, so only the resource types a stack really uses are loaded.
// Anything unexpected falls back to the normal, eager require.
"use strict";
const Module = require("module");
const fs = require("fs");
const path = require("path");

const PROVIDER_PACKAGES = new Set(["@cdktf/provider-aws", "@cdktn/provider-aws"]);
// cdktf's index:  exports.vpc = require("./vpc");
// cdktn's index:  exports.vpc = __importStar(require("./vpc/index"));
// __importStar returns an ES-module-flagged module (every submodule is one) as it is, so
// serving require(target) for both is what the index itself would have exported.
const EXPORT_LINE =
  /^exports\.([A-Za-z_$][\w$]*) = (?:__importStar\()?require\("(\.\/[^"]+)"\)\)?;$/gm;
const lazyIndexes = new Map();

function isProviderIndex(filename) {
  if (path.basename(filename) !== "index.js") return false;
  const libDir = path.dirname(filename);
  if (path.basename(libDir) !== "lib") return false;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(libDir, "..", "package.json"), "utf-8"));
    return PROVIDER_PACKAGES.has(pkg.name);
  } catch {
    return false;
  }
}

function lazyIndex(filename) {
  const source = fs.readFileSync(filename, "utf-8");
  const exportsObject = {};
  Object.defineProperty(exportsObject, "__esModule", { value: true });
  let count = 0;
  for (const [, name, relative] of source.matchAll(EXPORT_LINE)) {
    const target = path.join(path.dirname(filename), relative);
    Object.defineProperty(exportsObject, name, {
      enumerable: true,
      configurable: true,
      get() {
        const loaded = require(target);
        Object.defineProperty(exportsObject, name, { value: loaded, enumerable: true });
        return loaded;
      },
    });
    count += 1;
  }
  return count > 0 ? exportsObject : null;
}

const originalLoad = Module._load;
Module._load = function loadWithLazyProviderIndex(request, parent, isMain) {
  let filename;
  try {
    filename = Module._resolveFilename(request, parent, isMain);
  } catch {
    return originalLoad.apply(this, arguments);
  }
  if (!lazyIndexes.has(filename)) {
    lazyIndexes.set(filename, isProviderIndex(filename) ? lazyIndex(filename) : null);
  }
  return lazyIndexes.get(filename) ?? originalLoad.apply(this, arguments);
};
