// Validates Kubernetes objects (a JSON array on stdin, as rendered by `kubectl kustomize`) against
// the Kubernetes v1.36.0 OpenAPI schema compiled into kubernetes-models 5.1.0, and the Prometheus
// Operator's ServiceMonitor/PodMonitor schemas. Prints one line per object; exit 1 on any error.
import { readFileSync } from "node:fs";

const groups = { "": "kubernetes-models", "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };
const objects = JSON.parse(readFileSync(0, "utf8"));
let failed = 0;
for (const obj of objects) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const pkg = groups[group] ?? "kubernetes-models";
  const dir = group === "" ? version : group === "monitoring.coreos.com" ? `${group}/${version}` : `${group}/${version}`;
  const name = `${obj.kind}/${obj.metadata?.name}`;
  let Model;
  try {
    Model = (await import(`${pkg}/${dir}/${obj.kind}`))[obj.kind];
  } catch (e) {
    console.log(`FAIL ${name}: no schema for ${obj.apiVersion} ${obj.kind} (${e.message})`);
    failed++;
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(`OK ${obj.apiVersion} ${name}`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
