complete -c kubectl-osb-provision -l class -d 'Service class, by external name (see \'kubectl osb catalog\')' -r
complete -c kubectl-osb-provision -l plan -d 'Plan of the class, by external name (optional when the class has exactly one plan)' -r
complete -c kubectl-osb-provision -l from-instaclustr -d 'Parameters from an Instaclustr provisioning-API JSON payload, v1 or v2 (\'-\' for stdin)' -r
complete -c kubectl-osb-provision -l instaclustr-api -d 'Read the --from-instaclustr body as this API\'s shape instead of detecting it' -r -f -a "v1\t''
v2\t''"
complete -c kubectl-osb-provision -s p -l param -d 'Parameter KEY=VALUE (typed: 3, 1.5, true, null; "3" for a string) or KEY:=JSON; dotted keys nest' -r
complete -c kubectl-osb-provision -l params-file -d 'Parameters from a YAML or JSON file (\'-\' for stdin); -p values apply on top' -r
complete -c kubectl-osb-provision -l params-from-secret -d 'parametersFrom: a Secret key holding a JSON object (KEY defaults to "parameters")' -r
complete -c kubectl-osb-provision -s l -l label -d 'Label KEY=VALUE for the new object (repeatable)' -r
complete -c kubectl-osb-provision -l annotation -d 'Annotation KEY=VALUE for the new object (repeatable)' -r
complete -c kubectl-osb-provision -l timeout -d 'How long --wait waits (0: check once, do not wait)' -r
complete -c kubectl-osb-provision -l fail-on -d 'Treat these retrying reasons, or these Warning events\' reasons, as failures (exit 3; comma-separated or repeated, e.g. ReferencesNonexistentServiceClass,RetryBackoff)' -r
complete -c kubectl-osb-provision -l fail-after-retries -d 'Fail (exit 3) once the broker has failed N calls for an object, as its Warning events record them (ProvisionCallFailed, BindCallFailed, DeprovisionCallFailed, UnbindCallFailed, …; 0: never)' -r
complete -c kubectl-osb-provision -l controller-hint-after -d 'Say once when no Service Catalog controller has processed an object after this long (0: never)' -r
complete -c kubectl-osb-provision -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-provision -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-provision -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-provision -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-provision -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-provision -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-provision -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-provision -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-provision -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-provision -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-provision -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-provision -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-provision -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-provision -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-provision -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-provision -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-provision -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-provision -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-provision -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-provision -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-provision -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-provision -l dry-run -d '"client" prints the ServiceInstance without sending it; "server" has the API server check it' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb-provision -s o -l output -d 'Output format for the instance: yaml, json or name (--wait then reports on stderr)' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-provision -l skip-schema-check -d 'Send the parameters even if they do not match the plan\'s JSON Schema (for a wrong schema)'
complete -c kubectl-osb-provision -l update -d 'Apply a changed spec to an existing instance (bumps spec.updateRequests)'
complete -c kubectl-osb-provision -l wait -d 'Wait until the instance is Ready (exit 3 if it fails, 4 on timeout)'
complete -c kubectl-osb-provision -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-provision -s V -l version -d 'Print version'
