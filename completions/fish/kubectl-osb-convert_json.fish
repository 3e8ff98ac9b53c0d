complete -c kubectl-osb-convert_json -s o -l output -d 'Output format (default: yaml; json with --reverse and --to-v2)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-osb-convert_json -l name -d 'metadata.name (default: derived from clusterName)' -r
complete -c kubectl-osb-convert_json -s n -l namespace -d 'metadata.namespace (default: none, so kubectl uses the context\'s)' -r
complete -c kubectl-osb-convert_json -l class -d 'Service class external name (default: inferred from the first bundle)' -r
complete -c kubectl-osb-convert_json -l plan -d 'Service plan external name (default: inferred from slaTier)' -r
complete -c kubectl-osb-convert_json -l map-class -d 'Replace a row of the bundle → class mapping (repeatable)' -r
complete -c kubectl-osb-convert_json -l api -d 'Read the body as this API\'s shape instead of detecting it (v1: clusterName, bundles, …; v2: name, cassandraVersion, dataCentres, …)' -r -f -a "v1\t''
v2\t''"
complete -c kubectl-osb-convert_json -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-convert_json -l parameters-only -d 'Print only the parameters, not the ServiceInstance around them'
complete -c kubectl-osb-convert_json -l allow-duplicate-keys -d 'Keep the last of repeated keys (with a warning) instead of failing'
complete -c kubectl-osb-convert_json -l strict -d 'Treat validation warnings as errors'
complete -c kubectl-osb-convert_json -l no-validate -d 'Skip validation against the payload schema'
complete -c kubectl-osb-convert_json -l reverse -d 'The other way: ServiceInstance (or parameters) YAML → provisioning JSON'
complete -c kubectl-osb-convert_json -l to-v2 -d 'Rewrite a v1 body as a v2 body (JSON; -o yaml for YAML); what cannot be carried over is said on stderr'
complete -c kubectl-osb-convert_json -l allow-invalid -d 'With --to-v2: write the v2 body even when it is not valid (its errors become warnings)'
complete -c kubectl-osb-convert_json -s h -l help -d 'Print help'
complete -c kubectl-osb-convert_json -s V -l version -d 'Print version'
