#!/usr/bin/perl
# Gearman peer worker (Perl Gearman::Worker), run by the integration tests as a subprocess.
#
# Usage: perl perl_worker.pl HOST PORT [MAX_JOBS]
#
# Serves the same functions as php_worker.php, plus one that dies:
#   reverse    reversed workload
#   fail       returns undef                         -> WORK_FAIL
#   exception  send_work_exception($job, "boom")      -> WORK_EXCEPTION "boom"
#   status     set_status(1,4), send_work_data("chunk"), send_work_warning("warn"), returns "done"
#   die        die "boom\n"                          -> WORK_EXCEPTION <Storable nfreeze of "boom\n">,
#                                                       then WORK_FAIL (what Gearman::Worker does)
#
# Stdout, one line each:
#   ready                      every function registered (CAN_DO written to the server)
#   job FUNCTION HANDLE        a job was handled
#   server-error MESSAGE       the server answered with ERROR; Gearman::Worker gives up its
#                              connection, so this script opens a new one and carries on.
#                              C gearmand 1.1.20 does this after the WORK_FAIL that follows a
#                              'die' job's WORK_EXCEPTION (JOB_NOT_FOUND).
#   exit after N jobs          MAX_JOBS reached (exit status 0)
# Any other outcome: one line on stderr, exit status 1. Runs until killed when MAX_JOBS is absent.
use strict;
use warnings;

use Gearman::Worker;

$| = 1;

sub fail_exit {
    print STDERR "perl_worker: @_\n";
    exit 1;
}

(@ARGV == 2 || @ARGV == 3) && $ARGV[1] =~ /^\d+$/ && (@ARGV == 2 || $ARGV[2] =~ /^\d+$/)
    or fail_exit("usage: perl perl_worker.pl HOST PORT [MAX_JOBS]");
my ($host, $port, $max_jobs) = @ARGV;
$max_jobs ||= 0;
my $jobs = 0;

my $worker;
my %functions = (
    reverse   => sub { scalar reverse $_[0]->arg },
    fail      => sub { undef },
    exception => sub { $worker->send_work_exception($_[0], "boom"); undef },
    status    => sub {
        my ($job) = @_;
        $job->set_status(1, 4);
        $worker->send_work_data($job, "chunk");
        $worker->send_work_warning($job, "warn");
        "done";
    },
    die => sub { die "boom\n" },
);

sub connect_worker {
    $worker = Gearman::Worker->new(job_servers => ["$host:$port"]);
    for my $name (sort keys %functions) {
        my $body = $functions{$name};
        $worker->register_function(
            $name => sub {
                $jobs++;
                print "job $name ", $_[0]->handle, "\n";
                return $body->(@_);
            }
        ) or fail_exit("cannot register function '$name' at $host:$port");
    }
}

sub finish_if_done {
    return unless $max_jobs && $jobs >= $max_jobs;
    print "exit after $jobs jobs\n";
    exit 0;
}

# Gearman::Worker warns "Job 'die' died: boom" for the die function; that is expected here.
$SIG{__WARN__} = sub { print STDERR $_[0] unless $_[0] =~ /^Job 'die' died: boom$/ };

connect_worker();
print "ready\n";
while (1) {
    my $ok = eval {
        $worker->work(stop_if => sub { $max_jobs && $jobs >= $max_jobs });
        1;
    };
    finish_if_done();
    next if $ok;
    my $error = $@;
    chomp $error;
    $error =~ /^unexpected packet type: error \[(.*)\]$/s
        or fail_exit("work() died: $error");
    (my $message = $1) =~ s/\n/ /g;
    print "server-error $message\n";
    connect_worker();
}
