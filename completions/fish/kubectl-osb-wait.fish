complete -c kubectl-osb-wait -l for -d 'The state to wait for: ready, failed, deleted, complete, create (the object exists), condition=TYPE[=VALUE], or jsonpath=\'{EXPR}\'[=VALUE] (kubectl\'s; a failure still ends the wait)' -r
complete -c kubectl-osb-wait -l timeout -d 'Give up after this long (e.g. 90s, 30m, 1h; 0 = check once)' -r
complete -c kubectl-osb-wait -l fail-on -d 'Treat these retrying reasons, or these Warning events\' reasons, as failures (exit 3; comma-separated or repeated, e.g. ReferencesNonexistentServiceClass,RetryBackoff)' -r
complete -c kubectl-osb-wait -l fail-after-retries -d 'Fail (exit 3) once the broker has failed N calls for an object, as its Warning events record them (ProvisionCallFailed, BindCallFailed, DeprovisionCallFailed, UnbindCallFailed, …; 0: never)' -r
complete -c kubectl-osb-wait -l controller-hint-after -d 'Say once when no Service Catalog controller has processed an object after this long (0: never)' -r
complete -c kubectl-osb-wait -s l -l selector -d 'Select objects of TYPE by label (e.g. app=shop)' -r
complete -c kubectl-osb-wait -s o -l output -d 'Output: default lines "… condition met", json (a summary with state, reason and seconds), name' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-wait -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-wait -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-wait -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-wait -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-wait -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-wait -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-wait -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-wait -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-wait -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-wait -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-wait -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-wait -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-wait -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-wait -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-wait -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-wait -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-wait -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-wait -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-wait -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-wait -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-wait -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-wait -l any -d 'Finish as soon as one object reaches the state (default: all)'
complete -c kubectl-osb-wait -l deadline-ok -d 'Count a Job that failed with DeadlineExceeded as a success (soak tests)'
complete -c kubectl-osb-wait -l all -d 'Every object of TYPE in the namespace'
complete -c kubectl-osb-wait -s A -l all-namespaces -d 'With -l or --all: select objects in every namespace (one watch per type, not one per namespace)'
complete -c kubectl-osb-wait -l no-progress -d 'Never draw the live progress block (it is only drawn when stderr is a terminal)'
complete -c kubectl-osb-wait -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-wait -s V -l version -d 'Print version'
