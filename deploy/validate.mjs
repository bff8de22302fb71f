// Validates rendered Kubernetes manifests: every object against the Kubernetes API schemas, then
// the few things this service relies on. Usage: node validate.mjs NAME=rendered.yaml ...
//  1. schema: kubernetes-models (validators generated from the Kubernetes OpenAPI document):
//     types, required fields, enums, formats;
//  2. no unknown field: the objects are type-checked as kubernetes-types values by TypeScript,
//     whose excess-property check rejects a misspelt field (readinesProbe) that the schema allows;
//  3. the service's own rules: probes on their paths, non-root, read-only root with /tmp,
//     preStop pause, resources, container JVM options, and references that resolve.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const problems = [];
const fail = (where, message) => problems.push(`${where}: ${message}`);

const renders = process.argv.slice(2).map((arg) => {
  const [name, file] = arg.split("=");
  const objects = [];
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      doc.errors.forEach((e) => fail(name, `YAML: ${e.message}`));
    } else if (doc.contents !== null) {
      objects.push(doc.toJS());
    }
  }
  return { name, objects };
});
if (renders.length === 0 || renders.some((r) => r.objects.length === 0)) {
  console.error("usage: node validate.mjs NAME=rendered.yaml ... (each with at least one object)");
  process.exit(2);
}

const label = (render, o) => `${render.name} ${o.kind ?? "?"}/${o.metadata?.name ?? "?"}`;

// 1. schema
for (const render of renders) {
  for (const o of render.objects) {
    const modelPath = `kubernetes-models/${o.apiVersion}/${o.kind}`;
    let Model;
    try {
      ({ [o.kind]: Model } = await import(modelPath));
    } catch {
      fail(label(render, o), `no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      fail(label(render, o), `schema: ${e.message}`);
    }
  }
}

// 2. no unknown field
const typesModule = (apiVersion) => {
  if (!apiVersion.includes("/")) {
    return "kubernetes-types/core/" + apiVersion;
  }
  const [group, version] = apiVersion.split("/");
  return `kubernetes-types/${group.split(".")[0]}/${version}`;
};
const work = join(here, "target");
mkdirSync(work, { recursive: true });
const source = join(work, "rendered-objects.ts");
const owners = [];
const lines = [];
renders.forEach((render) => render.objects.forEach((o) => {
  const i = owners.length;
  owners.push(label(render, o));
  lines.push(`import type { ${o.kind} as T${i} } from ${JSON.stringify(typesModule(o.apiVersion))};`);
  lines.push(`export const o${i}: T${i} = ${JSON.stringify(o)};`);
}));
writeFileSync(source, lines.join("\n") + "\n");
const program = ts.createProgram([source], {
  strict: true, noEmit: true, types: [], skipLibCheck: true,
  module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
});
for (const d of ts.getPreEmitDiagnostics(program)) {
  const { line } = d.file ? d.file.getLineAndCharacterOfPosition(d.start) : { line: -1 };
  const owner = line >= 0 ? owners[Math.floor(line / 2)] : "typescript";
  fail(owner, ts.flattenDiagnosticMessageText(d.messageText, " "));
}

// 3. the service's own rules
const selects = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v) && Object.keys(selector ?? {}).length > 0;
for (const render of renders) {
  const named = (kind) => render.objects.filter((o) => o.kind === kind);
  const names = (kind) => new Set(named(kind).map((o) => o.metadata.name));
  for (const kind of ["Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                      "ConfigMap", "Secret", "NetworkPolicy"]) {
    if (named(kind).length === 0) fail(render.name, `no ${kind}`);
  }
  for (const d of named("Deployment")) {
    const where = label(render, d);
    const pod = d.spec.template;
    if (!(d.spec.replicas >= 3)) fail(where, "fewer than 3 replicas");
    if (!pod.spec.terminationGracePeriodSeconds || pod.spec.terminationGracePeriodSeconds < 20) {
      fail(where, "terminationGracePeriodSeconds must cover the preStop pause and 10 s of draining");
    }
    const tmpVolumes = new Set((pod.spec.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
    for (const c of pod.spec.containers) {
      const at = `${where} container ${c.name}`;
      for (const [probe, path] of [["startupProbe", "/health/started"], ["livenessProbe", "/health/live"],
                                   ["readinessProbe", "/health/ready"]]) {
        if (c[probe]?.httpGet?.path !== path) fail(at, `${probe} must GET ${path}`);
      }
      if (c.securityContext?.readOnlyRootFilesystem !== true) fail(at, "root filesystem not read-only");
      if (c.securityContext?.runAsNonRoot !== true && pod.spec.securityContext?.runAsNonRoot !== true) {
        fail(at, "may run as root");
      }
      if (!(c.volumeMounts ?? []).some((m) => m.mountPath === "/tmp" && tmpVolumes.has(m.name))) {
        fail(at, "no emptyDir at /tmp");
      }
      if (!c.lifecycle?.preStop) fail(at, "no preStop pause");
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) {
        fail(at, "cpu and memory requests and a memory limit are required");
      }
      const jvm = (c.env ?? []).find((e) => e.name === "JDK_JAVA_OPTIONS")?.value ?? "";
      if (!jvm.includes("-XX:MaxRAMPercentage=")) fail(at, "JDK_JAVA_OPTIONS must size the heap from the container");
      for (const ref of c.envFrom ?? []) {
        if (ref.configMapRef && !names("ConfigMap").has(ref.configMapRef.name)) {
          fail(at, `ConfigMap ${ref.configMapRef.name} is not in the render`);
        }
        if (ref.secretRef && !names("Secret").has(ref.secretRef.name)) {
          fail(at, `Secret ${ref.secretRef.name} is not in the render`);
        }
      }
    }
    for (const kind of ["Service", "PodDisruptionBudget", "NetworkPolicy"]) {
      for (const o of named(kind)) {
        const selector = kind === "Service" ? o.spec.selector
          : kind === "NetworkPolicy" ? o.spec.podSelector.matchLabels : o.spec.selector.matchLabels;
        if (!selects(selector, pod.metadata.labels)) fail(label(render, o), `does not select ${where}`);
      }
    }
  }
  for (const h of named("HorizontalPodAutoscaler")) {
    const target = named("Deployment").find((d) => d.metadata.name === h.spec.scaleTargetRef.name);
    if (!target) fail(label(render, h), "scales no Deployment of the render");
    else if (h.spec.minReplicas !== target.spec.replicas) fail(label(render, h), "minReplicas differs from the Deployment's replicas");
  }
}

for (const render of renders) {
  console.log(`${render.name}: ${render.objects.length} objects (${render.objects.map((o) => o.kind).join(", ")})`);
}
if (problems.length > 0) {
  problems.forEach((p) => console.error("INVALID " + p));
  console.error(`${problems.length} problem(s)`);
  process.exit(1);
}
console.log("all objects valid against the Kubernetes API schemas and the service's rules");
