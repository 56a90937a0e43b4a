// Preloaded into the jsii kernel's node process (NODE_OPTIONS=--require, which
// stackkit/_private/loading.py sets only while the kernel starts).
//
// Why: the jsii kernel loads a package by requiring its index, and the index of
// @cdktf/provider-aws (cdktf) or @cdktn/provider-aws (CDK Terrain) eagerly requires all
// ~2,200-2,400 resource submodules (about 3.5 s and 2.9 s).
// A JavaScript app avoids that by importing submodules; the kernel cannot.
//
// How: the provider's index is compiled from its own source in which each export line
//   exports.vpc = require("./vpc");                   (cdktf)
//   exports.vpc = __importStar(require("./vpc/index")); (cdktn)
// becomes a getter that evaluates that same expression on first access and then holds the
// value, as the original property did. Every other line is kept as it is. The index is
// rewritten only when every one of its lines is understood (below); otherwise it loads as
// it is, eagerly.
//
// The hook: Node's supported module.registerHooks (a synchronous `load` hook; Node 22.15 and
// 23.5 on, "Module customization hooks", https://nodejs.org/api/module.html#customization-hooks),
// else the CommonJS loader's ".js" handler (older Node).
"use strict";
const Module = require("module");
const fs = require("fs");
const path = require("path");
const { fileURLToPath } = require("url");

const PROVIDER_PACKAGES = new Set(["@cdktf/provider-aws", "@cdktn/provider-aws"]);

const EXPORT_LINE =
  /^exports\.([A-Za-z_$][\w$]*) = (require\("\.\/[^"\\]+"\)|__importStar\(require\("\.\/[^"\\]+"\)\));$/;
// The lines an index has besides its exports, as TypeScript emits them.
const CODE_LINES = [
  /^"use strict";$/,
  /^Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);$/,
  // exports.b = exports.a = void 0;  (declares the names the export lines then set)
  /^(?:exports\.[A-Za-z_$][\w$]* = )+void 0;$/,
  /^$/,
  /^\/\/.*$/, // line comments, the source map
];
// The helpers TypeScript (5.7 and later) emits for `export * as vpc from "./vpc/index"` under
// esModuleInterop: understood as a whole, character for character.
const IMPORT_STAR_HELPERS = `var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
`;

// Appended to a rewritten index (a function declaration: hoisted above the export lines).
const LAZY_EXPORT = `
function __stackkitLazyExport(target, name, load) {
  const settle = (value) => {
    Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(target, name, { enumerable: true, configurable: true, get: () => settle(load()), set: settle });
}
`;

/** The index's source with every export made lazy, or null unless every line is understood. */
function lazyIndexSource(source) {
  const helpersAt = source.indexOf(IMPORT_STAR_HELPERS);
  const rest =
    helpersAt === -1 ? source : source.slice(0, helpersAt) + source.slice(helpersAt + IMPORT_STAR_HELPERS.length);
  let exportCount = 0;
  let inComment = false;
  for (const line of rest.split("\n")) {
    if (inComment) {
      if (line === " */") inComment = false;
      else if (!/^ \*(?: .*)?$/.test(line)) return null;
    } else if (line === "/**") {
      inComment = true;
    } else if (EXPORT_LINE.test(line)) {
      exportCount += 1;
    } else if (!CODE_LINES.some((pattern) => pattern.test(line))) {
      return null;
    }
  }
  if (inComment || exportCount === 0) return null;
  const lines = source.split("\n").map((line) => {
    const match = EXPORT_LINE.exec(line);
    return match ? `__stackkitLazyExport(exports, "${match[1]}", () => ${match[2]});` : line;
  });
  return lines.join("\n") + LAZY_EXPORT;
}

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

function lazySourceOf(filename) {
  return isProviderIndex(filename) ? lazyIndexSource(fs.readFileSync(filename, "utf-8")) : null;
}

if (typeof Module.registerHooks === "function") {
  Module.registerHooks({
    load(url, context, nextLoad) {
      const source = url.startsWith("file:") ? lazySourceOf(fileURLToPath(url)) : null;
      return source === null ? nextLoad(url, context) : { format: "commonjs", source, shortCircuit: true };
    },
  });
} else {
  const loadJavaScript = Module._extensions[".js"];
  Module._extensions[".js"] = function loadWithLazyProviderIndex(module, filename) {
    const source = lazySourceOf(filename);
    if (source === null) return loadJavaScript.apply(this, arguments);
    return module._compile(source, filename);
  };
}

module.exports = { lazyIndexSource, IMPORT_STAR_HELPERS };
