backup('nightly') {
    sources { files('chroma') { path '/data/chroma' } }
    compress 'lz4'
    destinations { local('nas') { path '/mnt/nas' } }
}
