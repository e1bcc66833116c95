using System.Globalization;
using System.Text;
using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Tests.Logs;

/// <summary>Logs the tests generate: deterministic noise in several formats with a planted root cause.</summary>
internal static class TestLogs
{
    public const string PlantedMessage = "Schema migration V42 failed: column \"customer_ref\" does not exist";
    public const string PlantedException = "org.postgresql.util.PSQLException: ERROR: column \"customer_ref\" does not exist";
    public const string BeforePlanted = "Applying database migration V42__add_customer_ref.sql to jdbc:postgresql://db-primary:5432/shop";
    public const string RepeatedWarning = "Connection pool exhausted, waiting for a free connection";

    public static Func<string, int> CharsOver4 { get; } = s => (s.Length + 3) / 4;
    public static Func<string, int> Utf8Bytes { get; } = s => Encoding.UTF8.GetByteCount(s);
    /// <summary>Not additive: long texts cost more than the sum of their parts.</summary>
    public static Func<string, int> SuperAdditive { get; } = s => s.Length / 3 + (s.Length > 4000 ? s.Length / 20 : 0);

    public sealed record Generated(List<string> Lines, long PlantedLine, long BeforePlantedLine, int RepeatedWarnings);

    /// <summary>~<paramref name="noiseLines"/> lines of mixed-format noise; the root-cause exception is planted at
    /// about 70 % (the first error of the log), the line before it is a migration starting, and after it the same
    /// warning and a cascade error repeat many times.</summary>
    public static Generated Noise(int noiseLines = 100_000, int seed = 7)
    {
        var random = new Random(seed);
        var lines = new List<string>(noiseLines + 1000);
        var time = new DateTime(2024, 3, 4, 9, 0, 0, DateTimeKind.Utc);
        long planted = 0, before = 0;
        int warnings = 0;
        int plantAt = noiseLines * 7 / 10;
        string[] users = ["alice", "bob", "carol"];
        while (lines.Count < noiseLines)
        {
            time = time.AddMilliseconds(random.Next(5, 200));
            string ts = time.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture);
            if (planted == 0 && lines.Count >= plantAt)
            {
                lines.Add($"{ts} INFO  [main] c.e.shop.db.Migrator - {BeforePlanted}");
                before = lines.Count;
                lines.Add($"{ts} ERROR [main] c.e.shop.db.Migrator - {PlantedMessage}");
                planted = lines.Count;
                lines.Add(PlantedException);
                lines.Add("\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2676)");
                lines.Add("\tat org.flywaydb.core.internal.command.DbMigrate.doMigrateGroup(DbMigrate.java:367)");
                lines.Add("\tat com.example.shop.Application.main(Application.java:31)");
                continue;
            }
            if (random.Next(40) == 0)
            {
                // Rare messages: many distinct templates, as real logs have.
                lines.Add($"{ts} INFO  [main] c.e.shop.Audit - {Word(random, 300)} {Word(random, 300)} changed by {users[random.Next(3)]}");
                continue;
            }
            switch (random.Next(10))
            {
                case 0 or 1 or 2:
                    lines.Add($"{ts} INFO  [http-nio-8080-exec-{random.Next(1, 40)}] c.e.shop.OrderService - Order {random.Next(100000, 999999)} placed by {users[random.Next(3)]}");
                    break;
                case 3:
                    lines.Add($"{ts} DEBUG [pool-1-thread-{random.Next(1, 9)}] c.e.shop.Cache - cache hit key=session:{Guid.NewGuid()}");
                    break;
                case 4 or 5:
                    lines.Add($"10.1.{random.Next(256)}.{random.Next(1, 255)} - - [{time.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)} +0000] \"GET /api/orders/{random.Next(1, 9999)} HTTP/1.1\" 200 {random.Next(100, 9000)} \"-\" \"curl/8.5\"");
                    break;
                case 6:
                    lines.Add($"{time.ToString("MMM d HH:mm:ss", CultureInfo.InvariantCulture).Replace(" 4 ", "  4 ")} web01 systemd[1]: Started Session {random.Next(1, 9999)} of user deploy.");
                    break;
                case 7:
                    lines.Add($"[{time.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} INF] Health check passed in {random.Next(1, 90)} ms");
                    break;
                case 8 when planted > 0:
                    lines.Add($"{ts} WARN  [scheduler-1] c.e.shop.db.Pool - {RepeatedWarning} (waited {random.Next(100, 9000)} ms)");
                    warnings++;
                    break;
                case 8:
                    lines.Add($"{ts} INFO  [scheduler-1] c.e.shop.db.Pool - pool stats active={random.Next(50)} idle={random.Next(50)}");
                    break;
                default:
                    if (planted > 0) lines.Add($"{ts} ERROR [http-nio-8080-exec-{random.Next(1, 40)}] c.e.shop.api.OrderController - Request failed: datasource not ready");
                    else lines.Add($"{time.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture)} [notice] 812#812: signal process started");
                    break;
            }
        }
        return new Generated(lines, planted, before, warnings);
    }

    private static string Word(Random random, int vocabulary)
    {
        int k = random.Next(vocabulary);
        return new string([(char)('a' + k % 26), (char)('a' + k / 26 % 26), 'o', (char)('a' + k / 676 % 26), 'e']);
    }

    public static LogReduction Reduce(IEnumerable<string> lines, string source = "app.log", LogReducerOptions? options = null)
    {
        var reducer = new LogReducer(options);
        long n = 0;
        foreach (var line in lines) reducer.Add(source, ++n, line);
        return reducer.Complete();
    }

    public static LogReduction Reduce(string text, string source = "app.log") => Reduce(text.Replace("\r\n", "\n").Split('\n'), source);
}
