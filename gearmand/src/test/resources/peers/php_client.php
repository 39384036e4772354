<?php
// Gearman peer client (PHP ext / libgearman), run by the integration tests as a subprocess.
// Needs a worker serving reverse, fail, exception and status (php_worker.php or perl_worker.pl).
//
// Usage: php php_client.php HOST PORT [TIMEOUT_MS]     (TIMEOUT_MS: per request, default 10000)
//
// Stdout: "ok NAME" per passed check. On the first mismatch: "not ok NAME" on stdout, one line
// with the reason on stderr, exit status 1.

if ($argc < 3 || $argc > 4 || !ctype_digit($argv[2]) || ($argc === 4 && !ctype_digit($argv[3]))) {
    fwrite(STDERR, "php_client: usage: php php_client.php HOST PORT [TIMEOUT_MS]\n");
    exit(1);
}
[$host, $port] = [$argv[1], (int) $argv[2]];
$timeoutMs = $argc === 4 ? (int) $argv[3] : 10000;

function check(string $name, bool $passed, string $reason): void
{
    if (!$passed) {
        echo "not ok $name\n";
        fwrite(STDERR, "php_client: $name: $reason\n");
        exit(1);
    }
    echo "ok $name\n";
}

function show($value): string
{
    return str_replace("\n", ' ', var_export($value, true));
}

$client = new GearmanClient();
try {
    $client->addServer($host, $port);
} catch (GearmanException $e) {
    check('connect', false, "addServer($host, $port) failed: " . $e->getMessage());
}
$client->setTimeout($timeoutMs);

$expectResult = function (string $name, $result, $want, int $wantRc = GEARMAN_SUCCESS) use ($client) {
    $rc = $client->returnCode();
    check($name, $result === $want && $rc === $wantRc,
        'got ' . show($result) . " (return code $rc: " . $client->error() . '), want ' . show($want)
        . " (return code $wantRc)");
};

check('ping', @$client->ping('ping') === true, 'ECHO_REQ got no ECHO_RES: ' . $client->error());

// The seed talk's example: the worker reverses the workload.
$expectResult('doNormal', @$client->doNormal('reverse', 'Hello World!'), '!dlroW olleH');
$expectResult('doHigh', @$client->doHigh('reverse', 'high'), 'hgih');
$expectResult('doLow', @$client->doLow('reverse', 'low', 'php-low-unique'), 'wol');
$expectResult('doNormal fail', @$client->doNormal('fail', 'x'), '', GEARMAN_WORK_FAIL);
$expectResult('doNormal exception', @$client->doNormal('exception', 'x'), '', GEARMAN_WORK_EXCEPTION);
// libgearman hands back the WORK_DATA chunks followed by the WORK_COMPLETE payload.
$expectResult('doNormal status', @$client->doNormal('status', 'x'), 'chunkdone');

$handle = @$client->doBackground('reverse', 'background');
check('doBackground', $client->returnCode() === GEARMAN_SUCCESS && is_string($handle) && $handle !== '',
    'got handle ' . show($handle) . ' (return code ' . $client->returnCode() . ': ' . $client->error() . ')');
$deadline = microtime(true) + $timeoutMs / 1000;
do {
    $status = @$client->jobStatus($handle);
    if (!is_array($status) || count($status) !== 4) {
        check('jobStatus', false, 'jobStatus(' . $handle . ') returned ' . show($status) . ': ' . $client->error());
    }
    if (!$status[0]) {
        break;
    }
    usleep(50000);
} while (microtime(true) < $deadline);
check('jobStatus', $status === [false, false, 0, 0],
    "background job $handle still known after {$timeoutMs} ms: " . show($status));

// One task set: every callback kind, three priorities, and the fail/exception/status functions.
$events = [];
$record = function (string $kind) use (&$events) {
    return function (GearmanTask $task, $context) use (&$events, $kind) {
        $events[$context][] = "$kind:" . $task->data()
            . ($kind === 'status' ? ':' . $task->taskNumerator() . '/' . $task->taskDenominator() : '');
    };
};
$client->setCompleteCallback($record('complete'));
$client->setDataCallback($record('data'));
$client->setStatusCallback($record('status'));
$client->setWarningCallback($record('warning'));
$client->setExceptionCallback($record('exception'));
$client->setFailCallback($record('fail'));

$client->addTask('reverse', 'normal', 'reverse');
$client->addTaskHigh('reverse', 'high', 'reverse-high');
$client->addTaskLow('reverse', 'low', 'reverse-low');
$client->addTask('fail', 'x', 'fail');
$client->addTask('exception', 'x', 'exception');
$client->addTask('status', 'x', 'status');
$ran = @$client->runTasks();
check('runTasks', $ran === true && $client->returnCode() === GEARMAN_SUCCESS,
    'runTasks returned ' . show($ran) . ' (return code ' . $client->returnCode() . ': ' . $client->error() . ')');

$want = [
    'reverse' => ['complete:lamron'],
    'reverse-high' => ['complete:hgih'],
    'reverse-low' => ['complete:wol'],
    'fail' => ['fail:'],
    'exception' => ['exception:boom'],
    'status' => ['status::1/4', 'data:chunk', 'warning:warn', 'complete:done'],
];
foreach ($want as $context => $callbacks) {
    $got = $events[$context] ?? [];
    check("task $context", $got === $callbacks, 'callbacks ' . show($got) . ', want ' . show($callbacks));
}
