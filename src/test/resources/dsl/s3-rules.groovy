backup('nightly') {
    sources { files('docs') { path '/srv/docs' } }
    destinations {
        s3('no-secret')  { bucket 'b'; accessKey 'AKIAEXAMPLE' }
        s3('tiny-parts') { bucket 'b'; partSize 1 }
        s3('kms')        { bucket 'b'; serverSideEncryption 'aws:kms' }
        s3('sse')        { bucket 'b'; serverSideEncryption 'AES-256'; kmsKeyId 'k1' }
        s3('minio')      { bucket 'b'; endpoint 'minio:9000' }
    }
}
