backup('nightly') {
    sources { files('docs') { path '/srv/docs' } }
    destinations {
        gcs('json')   { bucket 'b'; credentials '{ "type": "service_account" }' }
        gcs('file')   { bucket 'b'; credentials '/nonexistent/gcs.json' }
    }
}
