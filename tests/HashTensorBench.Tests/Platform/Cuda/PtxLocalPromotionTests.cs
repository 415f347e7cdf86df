using System.Reflection;
using HashTensorBench.Platform.Cuda;
using ILGPU.Backends;
using ILGPU.Backends.PTX;

namespace HashTensorBench.Tests.Platform.Cuda;

public class PtxLocalPromotionTests
{
    // The shape ILGPU 1.5.3 writes around inline PTX operands: one depot per operand, one mov of its address.
    private const string Kernel = """
        .visible .entry Kernel_Test(
        	.param .u64 p
        )
        {
        	.local .align 4 .b8 __local_depot0[4];
        	.local .align 4 .b8 __local_depot1[4];
        	.local .align 8 .b8 __local_depot2[8];
        	.local .align 4 .b8 __local_depot3[8];
        	.reg .b32 %r<9>;
        	.reg .f32 %f<3>;
        	.reg .b64 %rd<9>;
        	mov.u64 %rd1, __local_depot0;
        	mov.u64 %rd2, __local_depot1;
        	mov.u64 %rd3, __local_depot2;
        	mov.u64 %rd4, __local_depot3;
        	st.local.u32 [%rd1], %r1;
        	st.local.f32 [%rd2], %f1;
        	ld.local.f32 %f2, [%rd2];
        	{ .reg .u32 t; ld.local.u32 t, [%rd1]; }
        	ld.local.u32 %r2, [%rd1];
        	st.local.u32 [%rd3], %r3;
        	st.local.u32 [%rd4+4], %r4;
        	ret;
        }
        """;

    [Fact]
    public void Scalar_depots_become_registers_of_their_type()
    {
        string ptx = PtxLocalPromotion.Run(Kernel.Replace("\t{ .reg .u32 t; ld.local.u32 t, [%rd1]; }\n", ""), out int promoted);
        Assert.Equal(2, promoted);
        Assert.Contains(".reg .b32 %ldp0;", ptx);
        Assert.Contains(".reg .f32 %ldp1;", ptx);
        Assert.Contains("mov.u32 %ldp0, %r1;", ptx);
        Assert.Contains("mov.u32 %r2, %ldp0;", ptx);
        Assert.Contains("mov.f32 %ldp1, %f1;", ptx);
        Assert.Contains("mov.f32 %f2, %ldp1;", ptx);
        Assert.DoesNotContain("__local_depot0", ptx);
        Assert.DoesNotContain("__local_depot1", ptx);
    }

    [Fact]
    public void Depots_used_any_other_way_are_left_alone()
    {
        string ptx = PtxLocalPromotion.Run(Kernel, out int promoted);
        // depot0: its register also appears inside an inline-PTX block; depot2: 8 bytes read as 4;
        // depot3: an offset address. Only depot1 qualifies.
        Assert.Equal(1, promoted);
        Assert.Contains("st.local.u32 [%rd1], %r1;", ptx);
        Assert.Contains("st.local.u32 [%rd3], %r3;", ptx);
        Assert.Contains("st.local.u32 [%rd4+4], %r4;", ptx);
        Assert.Contains(".local .align 4 .b8 __local_depot0[4];", ptx);
    }

    [Fact]
    public void Ptx_with_cp_async_whose_depots_all_stay_is_refused()
    {
        // Only depot1 qualifies; without it, nothing would be promoted in a function that needs it most.
        string unpromotable = Kernel.Replace("\tld.local.f32 %f2, [%rd2];\n", "\tld.local.u32 %r5, [%rd2];\n\tcp.async.commit_group;\n");
        var refused = Assert.Throws<InvalidOperationException>(() => PtxLocalPromotion.Run(unpromotable, out _));
        Assert.Contains("cp.async", refused.Message);
        // The same kernel with one depot promoted passes.
        PtxLocalPromotion.Run(Kernel.Replace("\tret;", "\tcp.async.commit_group;\n\tret;"), out int promoted);
        Assert.Equal(1, promoted);
    }

    [Fact]
    public void Ptx_without_depots_is_unchanged()
    {
        const string ptx = ".version 7.8\n.visible .entry K()\n{\n\tret;\n}\n";
        Assert.Equal(ptx, PtxLocalPromotion.Run(ptx, out int promoted));
        Assert.Equal(0, promoted);
    }

    [Fact]
    public void Ilgpu_still_has_the_internals_the_loader_rewraps_through()
    {
        // PromotedKernelLoader.WithPtx builds a PTXCompiledKernel by reflection; this fails first when ILGPU changes them.
        Assert.NotNull(typeof(CompiledKernel).GetProperty("EntryPoint", BindingFlags.NonPublic | BindingFlags.Instance));
        Assert.Contains(typeof(PTXCompiledKernel).GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance),
            c => c.GetParameters().Select(p => p.ParameterType).LastOrDefault() == typeof(string) && c.GetParameters().Length == 4);
    }
}
