<?php
// Gearman peer worker (PHP ext / libgearman), run by the integration tests as a subprocess.
//
// Usage: php php_worker.php HOST PORT [MAX_JOBS]
//
// Serves:   reverse    strrev(workload), the seed talk's example
//           fail       $job->sendFail()             -> client sees WORK_FAIL
//           exception  $job->sendException("boom")  -> client sees WORK_EXCEPTION "boom"
//           status     sendStatus(1,4), sendData("chunk"), sendWarning("warn"), returns "done"
//           die        $job->sendException("boom\n"): PHP has no equivalent of a Perl worker's die
//                      (WORK_EXCEPTION with a Storable payload, then WORK_FAIL), so this sends the
//                      same message as a plain exception and perl_client.pl passes with either worker
//
// Stdout, one line each:
//   ready                      functions registered: the server has answered a grab
//   job FUNCTION HANDLE        a job was handled
//   exit after N jobs          MAX_JOBS reached (exit status 0)
// Any other outcome: one line on stderr, exit status 1. Runs until killed when MAX_JOBS is absent.

function fail_exit(string $reason): void
{
    fwrite(STDERR, "php_worker: $reason\n");
    exit(1);
}

if ($argc < 3 || $argc > 4 || !ctype_digit($argv[2]) || ($argc === 4 && !ctype_digit($argv[3]))) {
    fail_exit("usage: php php_worker.php HOST PORT [MAX_JOBS]");
}
[$host, $port] = [$argv[1], (int) $argv[2]];
$maxJobs = $argc === 4 ? (int) $argv[3] : 0;
$jobs = 0;

$worker = new GearmanWorker();
try {
    $worker->addServer($host, $port);
} catch (GearmanException $e) {
    fail_exit("addServer($host, $port) failed: " . $e->getMessage());
}

$serve = function (callable $body) use (&$jobs) {
    return function (GearmanJob $job) use ($body, &$jobs) {
        $jobs++;
        echo 'job ', $job->functionName(), ' ', $job->handle(), "\n";
        return $body($job);
    };
};
$worker->addFunction('reverse', $serve(fn (GearmanJob $job) => strrev($job->workload())));
$worker->addFunction('fail', $serve(function (GearmanJob $job) {
    $job->sendFail();
}));
$worker->addFunction('exception', $serve(function (GearmanJob $job) {
    $job->sendException('boom');
}));
$worker->addFunction('die', $serve(function (GearmanJob $job) {
    $job->sendException("boom\n");
}));
$worker->addFunction('status', $serve(function (GearmanJob $job) {
    $job->sendStatus(1, 4);
    $job->sendData('chunk');
    $job->sendWarning('warn');
    return 'done';
}));

// A job function's own WORK_FAIL or WORK_EXCEPTION is reported through work()'s return code;
// only the codes below mean the worker itself is fine.
$benign = [GEARMAN_SUCCESS, GEARMAN_WORK_FAIL, GEARMAN_WORK_EXCEPTION, GEARMAN_IO_WAIT, GEARMAN_NO_JOBS];

$check = function () use ($worker, $benign) {
    $rc = $worker->returnCode();
    if (!in_array($rc, $benign, true)) {
        fail_exit("work() failed with return code $rc: " . $worker->error());
    }
    return $rc;
};

$finishIfDone = function () use (&$jobs, $maxJobs) {
    if ($maxJobs > 0 && $jobs >= $maxJobs) {
        echo "exit after $jobs jobs\n";
        exit(0);
    }
};

// Register without blocking so that "ready" is printed only after the server has answered a
// grab request, which it handles after the CAN_DO packets sent before it on this connection.
$worker->addOptions(GEARMAN_WORKER_NON_BLOCKING);
while (true) {
    @$worker->work();
    $rc = $check();
    if ($rc === GEARMAN_IO_WAIT) {
        if (!@$worker->wait() && $worker->returnCode() !== GEARMAN_TIMEOUT) {
            $check();
        }
        continue;
    }
    break;
}
echo "ready\n";
$finishIfDone();

// Then work exactly like the seed talk's worker: blocking work() in a loop.
$worker->removeOptions(GEARMAN_WORKER_NON_BLOCKING);
while (true) {
    @$worker->work();
    $check();
    $finishIfDone();
}
