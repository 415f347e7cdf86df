using HashTensorBench.Tests.TestData;
using YamlDotNet.RepresentationModel;

namespace HashTensorBench.Tests.Benchmarks;

/// <summary>
/// README's cluster recipes are the files in bench/cluster: the Slurm job that bench/cluster/slurm-local runs on a real
/// one-node Slurm, and the Kubernetes Job, whose command, volume and report paths must agree with what site --reports reads.
/// </summary>
public class ClusterRecipeTests
{
    private static readonly string s_readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));

    [Fact]
    public void The_kubernetes_job_writes_its_reports_where_site_reads_them()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Repository.Root, "bench", "cluster", "compare-job.yaml")))
            yaml.Load(reader);
        var job = (YamlMappingNode)yaml.Documents.Single().RootNode;
        Assert.Equal("Job", Scalar(job, "kind"));
        var spec = Map(job, "spec");
        Assert.Equal("Indexed", Scalar(spec, "completionMode"));
        Assert.Equal(Scalar(spec, "completions"), Scalar(spec, "parallelism"));
        var pod = Map(Map(spec, "template"), "spec");
        var container = (YamlMappingNode)((YamlSequenceNode)pod.Children["containers"]).Single();
        string command = string.Join(" ", ((YamlSequenceNode)container.Children["command"]).Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal("sh -c htb compare --output /reports/$NODE-$JOB_COMPLETION_INDEX", command);
        var mount = (YamlMappingNode)((YamlSequenceNode)container.Children["volumeMounts"]).Single();
        Assert.Equal("/reports", Scalar(mount, "mountPath"));
        var volume = (YamlMappingNode)((YamlSequenceNode)pod.Children["volumes"]).Single();
        Assert.Equal(Scalar(mount, "name"), Scalar(volume, "name"));
        Assert.Equal("8", Scalar(Map(Map(container, "resources"), "limits"), "nvidia.com/gpu"));
        // compare writes report.json into its --output folder: /reports/NODE-INDEX/report.json, which this glob reads.
        Assert.Contains("htb site --reports /reports/*/report.json", s_readme);
        Assert.Contains("bench/cluster/compare-job.yaml", s_readme);
    }

    [Fact]
    public void The_slurm_job_readme_shows_is_the_one_file_slurm_local_submits()
    {
        string job = File.ReadAllText(Path.Combine(Repository.Root, "bench", "cluster", "compare.sbatch"));
        string local = File.ReadAllText(Path.Combine(Repository.Root, "bench", "cluster", "slurm-local"));
        Assert.Contains("\"$repo/bench/cluster/compare.sbatch\"", local);
        Assert.Contains("sbatch --array=0-15 --gres=gpu:8 bench/cluster/compare.sbatch", s_readme);
        // The job writes each node's folder under $SHARED/htb-reports; README's merge reads that folder's reports.
        Assert.Contains("--output \"$SHARED/htb-reports/$(hostname)-$SLURM_ARRAY_TASK_ID\"", job);
        Assert.Contains("htb site --reports \"$SHARED\"/htb-reports/*/report.json", s_readme);
    }

    [SkippableFact]
    public void Slurm_local_runs_the_recipe_on_a_real_one_node_slurm()
    {
        // It installs packages and starts daemons as root, a minute or so: run where asked for, as CI does not.
        Skip.IfNot(Environment.GetEnvironmentVariable("HTB_SLURM_LOCAL") == "1", "set HTB_SLURM_LOCAL=1 (as root) to run a real Slurm here.");
        var run = Repository.Run(Path.Combine(Repository.Root, "bench", "cluster", "slurm-local"), ["--limit", "600"], TimeSpan.FromMinutes(12));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("both tasks completed", run.Output);
        Assert.Contains("the daemons are stopped", run.Output);
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[key];

    private static string? Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[key]).Value;
}
