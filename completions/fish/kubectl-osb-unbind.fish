complete -c kubectl-osb-unbind -l instance -d 'Delete every binding of this ServiceInstance' -r
complete -c kubectl-osb-unbind -l timeout -d 'How long --wait waits (0: check once, do not wait)' -r
complete -c kubectl-osb-unbind -l fail-on -d 'Treat these retrying reasons, or these Warning events\' reasons, as failures (exit 3; comma-separated or repeated, e.g. ReferencesNonexistentServiceClass,RetryBackoff)' -r
complete -c kubectl-osb-unbind -l fail-after-retries -d 'Fail (exit 3) once the broker has failed N calls for an object, as its Warning events record them (ProvisionCallFailed, BindCallFailed, DeprovisionCallFailed, UnbindCallFailed, …; 0: never)' -r
complete -c kubectl-osb-unbind -l controller-hint-after -d 'Say once when no Service Catalog controller has processed an object after this long (0: never)' -r
complete -c kubectl-osb-unbind -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-unbind -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-unbind -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-unbind -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-unbind -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-unbind -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-unbind -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-unbind -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-unbind -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-unbind -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-unbind -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-unbind -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-unbind -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-unbind -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-unbind -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-unbind -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-unbind -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-unbind -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-unbind -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-unbind -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-unbind -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-unbind -l dry-run -d '"client" prints what would be deleted; "server" has the API server check the deletes' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb-unbind -s o -l output -d 'Output: name prints kind/name lines; json or yaml the deleted bindings as one document' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-unbind -l wait -d 'Wait until the bindings are gone (exit 3 if an unbind fails for good, 4 on timeout)'
complete -c kubectl-osb-unbind -l ignore-not-found -d 'Treat a binding that does not exist as already deleted'
complete -c kubectl-osb-unbind -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-unbind -s V -l version -d 'Print version'
