backup('nightly') {
    sources {
        postgres('app') { database 'app' }
        files('chroma') { path '/srv/chroma' }
    }
    destinations { local('nas') { path '/mnt/nas' } }
    drill {
        schedule 'weekly'
        check('ap', "select count(*) from characters") { atLeast 1 }
        check('app', "select 1") { atLest 1 }
        check('app', "select 2") { }
        check('app', "select 3") { equals 'many' }
        check('app', files: true) { atLeast 1 }
        check('chroma', "select 1") { atLeast 1 }
        chek('chroma', files: true) { atLeast 1 }
    }
}
