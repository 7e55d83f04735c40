def base = null
backup('nightly') {
    sources { files('chroma') { path base.toUpperCase() } }
    destinations { local('nas') { path '/mnt/nas' } }
    verify { afterUpload 'yes' }
}
