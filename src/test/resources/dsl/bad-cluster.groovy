backup('nightly') {
    schedule '0 2 * * *'
    sources { files('docs') { path '/srv/docs' } }
    destinations { local('nas') { path '/mnt/nas' } }
}
service {
    cluster {
        jdbcUrl 'jdbc:mysql://db/caravan'
        checkinEvery '200ms'
        pasword 'x'
    }
}
