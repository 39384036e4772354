#!/usr/bin/perl
# Gearman peer client (Perl Gearman::Client), run by the integration tests as a subprocess.
# Needs a worker serving reverse, fail, exception, status and die (perl_worker.pl or php_worker.php).
#
# Usage: perl perl_client.pl HOST PORT [TIMEOUT_SECONDS]     (per request, default 10)
#
# Stdout: "ok NAME" per passed check. On the first mismatch: "not ok NAME" on stdout, one line
# with the reason on stderr, exit status 1.
use strict;
use warnings;

use Data::Dumper ();
use Gearman::Client;
use Storable ();
use Time::HiRes ();

$| = 1;

(@ARGV == 2 || @ARGV == 3) && $ARGV[1] =~ /^\d+$/ && (@ARGV == 2 || $ARGV[2] =~ /^\d+$/)
    or do { print STDERR "perl_client: usage: perl perl_client.pl HOST PORT [TIMEOUT_SECONDS]\n"; exit 1 };
my ($host, $port, $timeout) = @ARGV;
$timeout ||= 10;

sub check {
    my ($name, $passed, $reason) = @_;
    if (!$passed) {
        print "not ok $name\n";
        $reason =~ s/\n/ /g;
        print STDERR "perl_client: $name: $reason\n";
        exit 1;
    }
    print "ok $name\n";
}

sub show {
    local $Data::Dumper::Terse    = 1;
    local $Data::Dumper::Indent   = 0;
    local $Data::Dumper::Useqq    = 1;
    local $Data::Dumper::Sortkeys = 1;
    return Data::Dumper::Dumper(@_);
}

# Runs a request; a croak inside Gearman::Client (e.g. a packet for a handle it is not waiting
# for) fails the check instead of killing the script without a reason.
sub guarded {
    my ($name, $code) = @_;
    my @result = eval { $code->() };
    check($name, 0, "Gearman::Client died: $@") if $@;
    return wantarray ? @result : $result[0];
}

my $client = Gearman::Client->new(exceptions => 1, job_servers => ["$host:$port"]);
{
    # Gearman::Client only warns when the server refuses the "exceptions" option.
    my @warnings;
    local $SIG{__WARN__} = sub { push @warnings, @_ };
    my $sock = $client->_get_js_sock($client->job_servers->[0]);
    check('connect', $sock && !@warnings,
        $sock ? "OPTION_REQ exceptions refused: @warnings" : "cannot connect to $host:$port");
    $client->_sock_cache($client->job_servers->[0], $sock);
}

my %events;
sub recorder {
    my ($name) = @_;
    return (
        on_complete  => sub { push @{ $events{$name} }, "complete:${ $_[0] }" },
        on_data      => sub { push @{ $events{$name} }, "data:${ $_[0] }" },
        on_warning   => sub { push @{ $events{$name} }, "warning:${ $_[0] }" },
        on_status    => sub { push @{ $events{$name} }, "status:$_[0]/$_[1]" },
        on_fail      => sub { push @{ $events{$name} }, "fail" },
        on_exception => sub { push @{ $events{$name} }, "exception:" . thawed($_[0]) },
    );
}

# Gearman::Worker sends a die message Storable-frozen; a plain WORK_EXCEPTION payload is text.
sub thawed {
    my ($payload) = @_;
    my $message = eval { Storable::thaw($payload) };
    return ref $message eq 'SCALAR' ? $$message : $payload;
}

sub expect_task {
    my ($name, $func, $arg, $options, $want_result, @want_events) = @_;
    my $result = guarded($name,
        sub { $client->do_task($func => $arg, { timeout => $timeout, recorder($name), %$options }) });
    my $got = { result => defined $result ? $$result : undef, events => $events{$name} || [] };
    my $want = { result => $want_result, events => \@want_events };
    check($name, show($got) eq show($want), "got " . show($got) . ", want " . show($want));
}

# The seed talk's example, as a Perl client.
expect_task('do_task', reverse => 'Hello World!', {}, '!dlroW olleH', 'complete:!dlroW olleH');
expect_task('do_task high', reverse => 'high', { priority => 'high' }, 'hgih', 'complete:hgih');
expect_task('do_task low', reverse => 'low', { priority => 'low', uniq => 'perl-low-unique' }, 'wol',
    'complete:wol');
expect_task('do_task fail', fail => 'x', {}, undef, 'fail');
expect_task('do_task exception', exception => 'x', {}, undef, 'exception:boom');
expect_task('do_task die', die => 'x', {}, undef, "exception:boom\n");
expect_task('do_task status', status => 'x', {}, 'done', 'status:1/4', 'data:chunk', 'warning:warn',
    'complete:done');

my $handle = guarded('dispatch_background', sub { $client->dispatch_background(reverse => 'background') });
check('dispatch_background', defined $handle && $handle =~ m{^\Q$host:$port\E//.+}, "got handle " . show($handle));
my $deadline = Time::HiRes::time() + $timeout;
my $status;
while (1) {
    $status = guarded('get_status', sub { $client->get_status($handle) });
    check('get_status', $status, "no STATUS_RES for $handle") unless $status;
    last if !$status->known || Time::HiRes::time() > $deadline;
    Time::HiRes::sleep(0.05);
}
check('get_status', !$status->known && !$status->running,
    "background job $handle still known after $timeout s: " . show([@$status]));

my $taskset = $client->new_task_set;
my %results;
for my $word (qw/one two three four five/) {
    guarded('taskset', sub {
        $taskset->add_task(reverse => $word,
            { on_complete => sub { $results{$word} = ${ $_[0] } }, on_fail => sub { $results{$word} = 'FAIL' } });
    });
}
guarded('taskset', sub { $taskset->wait(timeout => $timeout) });
my %want_results = map { $_ => scalar reverse $_ } qw/one two three four five/;
check('taskset', show(\%results) eq show(\%want_results), "got " . show(\%results) . ", want " . show(\%want_results));

# The text "status" command on the same connection as the binary packets.
my $servers = guarded('job server status', sub { $client->get_job_server_status });
my ($js_status) = values %$servers;
my $reverse = $js_status && $js_status->{reverse};
check('job server status', $reverse && $reverse->{capable} > 0,
    "status has no 'reverse' line with a worker: " . show($servers));
