using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// The packed, cache-blocked GEMM around one micro-kernel (the BLIS loop nest). On several threads, they share
/// each packed block of the operand that lives in L3 and take blocks of the other as they come free; where C has
/// too few tiles for that, each thread owns a rectangle of C.
/// </summary>
internal static unsafe class GemmDriver<TKernel> where TKernel : struct, IGemmMicroKernel
{
    /// <summary>
    /// Computes <c>C = alpha·A·B + beta·C</c>; the operands have been checked against the shape. Below
    /// <paramref name="minFlopsPerThread"/> of work per thread, fewer threads are used: waking one costs microseconds.
    /// </summary>
    public static void Multiply<T, TC>(GemmShape shape, T* a, T* b, TC* c, TC alpha, TC beta,
        GemmBlocking blocking, int threads, long minFlopsPerThread) where T : unmanaged where TC : unmanaged, INumberBase<TC>
    {
        if (alpha == TC.Zero)
        {
            // BLAS semantics: A and B are not read, so a NaN there does not reach C.
            Scale(c, shape.CLength, beta);
            return;
        }
        int wanted = (int)Math.Clamp(shape.FlopCount / Math.Max(1, minFlopsPerThread), 1, threads);
        int itemTiles = blocking.ABlockInL2 ? DivideUp(shape.M, TKernel.Mr) : DivideUp(shape.N, TKernel.Nr);
        bool sharing = wanted > 1 && itemTiles >= wanted * MinTilesPerSharedPart;
        // Where threads share blocks they slice K to its shared depth; so do the rectangles below when the threads are
        // busy with another product, so that a product has the same bits whichever way it ran.
        if (sharing)
            blocking = blocking with { Kc = blocking.SharedDepth(shape.K) };
        if (sharing && MultiplySharing(shape, a, b, c, alpha, beta, blocking, wanted))
            return;
        (int rowParts, int columnParts) = Partition(shape, wanted);
        int rowTiles = DivideUp(shape.M, TKernel.Mr), columnTiles = DivideUp(shape.N, TKernel.Nr);
        int rowTilesPerPart = DivideUp(rowTiles, rowParts), columnTilesPerPart = DivideUp(columnTiles, columnParts);
        // Whole tiles per part can leave the last parts empty (3 parts of 4 tiles: 2, 2, 0): drop those.
        rowParts = DivideUp(rowTiles, rowTilesPerPart);
        columnParts = DivideUp(columnTiles, columnTilesPerPart);
        int rowsPerPart = rowTilesPerPart * TKernel.Mr, columnsPerPart = columnTilesPerPart * TKernel.Nr;
        if (rowParts * columnParts == 1)
        {
            MultiplyRectangle(shape, a, b, c, alpha, beta, blocking, 0, shape.M, 0, shape.N);
            return;
        }
        nint aAddress = (nint)a, bAddress = (nint)b, cAddress = (nint)c;
        GemmWorkers.Run(rowParts * columnParts, part =>
        {
            int firstRow = part / columnParts * rowsPerPart, firstColumn = part % columnParts * columnsPerPart;
            MultiplyRectangle(shape, (T*)aAddress, (T*)bAddress, (TC*)cAddress, alpha, beta, blocking,
                firstRow, Math.Min(firstRow + rowsPerPart, shape.M), firstColumn, Math.Min(firstColumn + columnsPerPart, shape.N));
        });
    }

    /// <summary>
    /// Splits C into <c>rows × columns = threads</c> rectangles (or fewer threads when C has too few tiles),
    /// choosing the split whose largest rectangle is smallest, then the one that packs least: each
    /// rectangle packs its own rows of A and columns of B.
    /// </summary>
    internal static (int Rows, int Columns) Partition(GemmShape shape, int threads)
    {
        long rowTiles = DivideUp(shape.M, TKernel.Mr), columnTiles = DivideUp(shape.N, TKernel.Nr);
        for (int count = threads; count > 1; count--)
        {
            (int Rows, int Columns) best = (0, 0);
            long bestArea = long.MaxValue, bestPerimeter = long.MaxValue;
            for (int rows = 1; rows <= count; rows++)
            {
                int columns = count / rows;
                if (rows * columns != count || rows > rowTiles || columns > columnTiles)
                    continue;
                long height = DivideUp(rowTiles, rows), width = DivideUp(columnTiles, columns);
                long area = height * width * TKernel.Mr * TKernel.Nr, perimeter = height * TKernel.Mr + width * TKernel.Nr;
                if (area < bestArea || (area == bestArea && perimeter < bestPerimeter))
                    (best, bestArea, bestPerimeter) = ((rows, columns), area, perimeter);
            }
            if (bestArea != long.MaxValue)
                return best;
        }
        return (1, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyRectangle<T, TC>(GemmShape shape, T* a, T* b, TC* c, TC alpha, TC beta,
        GemmBlocking blocking, int rowStart, int rowEnd, int columnStart, int columnEnd) where T : unmanaged where TC : unmanaged, INumberBase<TC>
    {
        int mr = TKernel.Mr, nr = TKernel.Nr, k = shape.K;
        nint lda = shape.K, ldb = shape.N, ldc = shape.N;
        int mcBlock = RoundUp(blocking.Mc, mr), ncBlock = RoundUp(blocking.Nc, nr), kcBlock = KcStep(k, blocking);
        int mcMax = Math.Min(mcBlock, RoundUp(rowEnd - rowStart, mr));
        int ncMax = Math.Min(ncBlock, RoundUp(columnEnd - columnStart, nr));
        float* edge = stackalloc float[mr * nr];
        // B's block first: the buffer is 64-byte aligned, and so every B micro-panel (Nr·Kc floats apart) starts on a
        // 32-byte boundary (Nr a multiple of 8). Narrow (FP16, BF16, INT8) rows of A are widened into the scratch before the transpose into a panel.
        float* bPacked = PackBuffer.Rent(kcBlock * ncMax + mcMax * kcBlock + (typeof(T) == typeof(float) ? 0 : mr * kcBlock));
        float* aPacked = bPacked + (nint)kcBlock * ncMax;
        float* scratch = aPacked + (nint)mcMax * kcBlock;
        if (blocking.ABlockInL2)
        {
            MultiplyRectangleABlockInL2(shape, a, b, c, alpha, beta, blocking, rowStart, rowEnd, columnStart, columnEnd, bPacked, aPacked, scratch, edge);
            return;
        }
        // B is packed once per block of rows: equal blocks (2048 rows under Mc 1992 are 2 of 1026, not 1992 and 56),
        // so that the last one does not pack all of B for a few rows.
        int mcStep = EvenBlock(rowEnd - rowStart, mcBlock, mr);
        // Each loop steps by the block it just did, so no index passes the end (C may span nearly 2^31 elements).
        for (int ic = rowStart, mc; ic < rowEnd; ic += mc)
        {
            mc = Math.Min(mcStep, rowEnd - ic);
            for (int pc = 0, kc; pc < k; pc += kc)
            {
                kc = Math.Min(kcBlock, k - pc);
                // The first slice of K applies beta; the later ones add to what it wrote.
                TC sliceBeta = pc == 0 ? beta : TC.One;
                GemmPacking.PackA(a + ic * lda + pc, lda, mc, kc, mr, aPacked, scratch);
                for (int jc = columnStart, nc; jc < columnEnd; jc += nc)
                {
                    nc = Math.Min(ncBlock, columnEnd - jc);
                    GemmPacking.PackB(b + pc * ldb + jc, ldb, kc, nc, nr, bPacked);
                    MultiplyABlock(c, ldc, alpha, sliceBeta, ic, mc, jc, nc, kc, aPacked, bPacked, edge);
                }
            }
        }
    }

    // The BLIS order: jc → pc (pack B, read from L3) → ic (pack A, kept in L2) → jr (a B micro-panel in L1) → ir.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyRectangleABlockInL2<T, TC>(GemmShape shape, T* a, T* b, TC* c, TC alpha, TC beta,
        GemmBlocking blocking, int rowStart, int rowEnd, int columnStart, int columnEnd, float* bPacked, float* aPacked, float* scratch, float* edge)
        where T : unmanaged where TC : unmanaged, INumberBase<TC>
    {
        int nr = TKernel.Nr, k = shape.K;
        nint ldb = shape.N;
        // Equal column blocks: 4096 columns under Nc 4080 as one of 4080 and one of 16 would pack all of A twice.
        int ncStep = EvenBlock(columnEnd - columnStart, RoundUp(blocking.Nc, nr), nr), kcBlock = KcStep(k, blocking);
        for (int jc = columnStart, nc; jc < columnEnd; jc += nc)
        {
            nc = Math.Min(ncStep, columnEnd - jc);
            for (int pc = 0, kc; pc < k; pc += kc)
            {
                kc = Math.Min(kcBlock, k - pc);
                GemmPacking.PackB(b + pc * ldb + jc, ldb, kc, nc, nr, bPacked);
                MultiplyBBlock(shape, a, c, alpha, pc == 0 ? beta : TC.One, blocking, rowStart, rowEnd, jc, nc, pc, kc, bPacked, aPacked, scratch, edge);
            }
        }
    }

    // Below this many tiles per thread along the dimension they take blocks of (rows with B shared, columns with A
    // shared), the threads split C into rectangles instead.
    private const int MinTilesPerSharedPart = 8;

    // Blocks of rows (or columns) per thread and shared block: enough that a thread slowed by other work (a shared or
    // virtual machine) leaves the rest to the others, few enough that each block it packs still fills most of L2.
    private const int ItemsPerThread = 4;

    // Micro-panels of the shared block a thread packs at a time.
    private const int PanelsPerPackItem = 8;

    // Packed shared blocks in flight: a thread may pack block i + 1 while another still multiplies by block i.
    private const int SharedBuffers = 2;

    /// <summary>
    /// Several threads that share each packed block of the operand that lives in L3: of B in the BLIS order, of A in
    /// the default one. Per block, the threads pack its micro-panels, eight at a time, then take blocks of the other
    /// operand (C's rows in the BLIS order, B's columns in the default one) from a counter until none is left, packing
    /// each into their own buffer and multiplying it by the whole shared block: the shared block is packed once for all
    /// threads, where threads that own rectangles of C each pack all of it for their part, and a thread that another
    /// process slows (a shared or virtual machine) takes fewer items instead of holding the others up. No barrier
    /// between blocks: a thread waits only for what it needs next (<see cref="GemmProgress"/>), the shared block packed
    /// before it multiplies by it, the same item of the previous K slice done before it adds to that part of C, and
    /// every item of block i − 2 done before it packs block i into that block's buffer. A barrier per block held every
    /// thread until the slowest had finished its last item: on two threads of a 2-vCPU Zen 5, 0.89–0.95 of OpenBLAS at
    /// 1024–4096. False, having done nothing, when the worker threads are busy with another product (the threads must
    /// run at the same time). <paramref name="blocking"/>'s Kc is already the shared depth (<see cref="GemmBlocking.SharedDepth"/>).
    /// </summary>
    private static bool MultiplySharing<T, TC>(GemmShape shape, T* a, T* b, TC* c, TC alpha, TC beta, GemmBlocking blocking, int threads)
        where T : unmanaged where TC : unmanaged, INumberBase<TC>
    {
        int mr = TKernel.Mr, nr = TKernel.Nr, m = shape.M, n = shape.N, kcBlock = KcStep(shape.K, blocking);
        bool bShared = blocking.ABlockInL2;
        // The shared block's step along its own dimension, and the items' along the other: a few per thread.
        int sharedStep = bShared ? EvenBlock(n, RoundUp(blocking.Nc, nr), nr) : EvenBlock(m, RoundUp(blocking.Mc, mr), mr);
        var itemBlocking = bShared
            ? blocking with { Mc = Math.Min(RoundUp(blocking.Mc, mr), RoundUp(DivideUp(m, threads * ItemsPerThread), mr)) }
            : blocking with { Nc = Math.Min(RoundUp(blocking.Nc, nr), RoundUp(DivideUp(n, threads * ItemsPerThread), nr)) };
        int blocks = DivideUp(bShared ? n : m, sharedStep) * DivideUp(shape.K, kcBlock);
        int items = bShared ? DivideUp(m, itemBlocking.Mc) : DivideUp(n, itemBlocking.Nc);
        nint blockFloats = (nint)sharedStep * kcBlock;
        nint shared = (nint)PackBuffer.RentShared(checked((int)(SharedBuffers * blockFloats)));
        nint aAddress = (nint)a, bAddress = (nint)b, cAddress = (nint)c;
        var progress = new GemmProgress(blocks, items);
        // Per shared block, the next pack item and the next item of the other operand to take.
        int[] nextPanels = new int[blocks], nextItems = new int[blocks];
        return GemmWorkers.TryRunTogether(threads, _ =>
        {
            try
            {
                MultiplyTakingItems(shape, (T*)aAddress, (T*)bAddress, (TC*)cAddress, alpha, beta, itemBlocking, sharedStep, kcBlock,
                    (float*)shared, blockFloats, progress, nextPanels, nextItems);
            }
            catch
            {
                progress.Break();
                throw;
            }
        });
    }

    // One thread's part of MultiplySharing: per shared block, its share of the packing, then items of the other operand.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyTakingItems<T, TC>(GemmShape shape, T* a, T* b, TC* c, TC alpha, TC beta, GemmBlocking blocking,
        int sharedStep, int kcBlock, float* shared, nint blockFloats, GemmProgress progress, int[] nextPanels, int[] nextItems)
        where T : unmanaged where TC : unmanaged, INumberBase<TC>
    {
        int mr = TKernel.Mr, nr = TKernel.Nr, m = shape.M, k = shape.K, n = shape.N;
        nint lda = k, ldb = n, ldc = n;
        bool bShared = blocking.ABlockInL2;
        // Along the shared block's dimension: its extent and micro-panel width; the items are Mc rows or Nc columns.
        (int extent, int panel) = bShared ? (n, nr) : (m, mr);
        int itemSize = bShared ? blocking.Mc : blocking.Nc, items = DivideUp(bShared ? m : n, itemSize);
        float* edge = stackalloc float[mr * nr];
        // This thread's block (of A in the BLIS order, of B in the default one), then the scratch that widens narrow (FP16, BF16, INT8) rows of A.
        float* own = PackBuffer.Rent(itemSize * kcBlock + (typeof(T) == typeof(float) ? 0 : mr * kcBlock));
        float* scratch = own + (nint)itemSize * kcBlock;
        int block = 0;
        for (int outer = 0, size; outer < extent; outer += size)
        {
            size = Math.Min(sharedStep, extent - outer);
            int packItems = DivideUp(DivideUp(size, panel), PanelsPerPackItem);
            for (int pc = 0, kc; pc < k; pc += kc, block++)
            {
                kc = Math.Min(kcBlock, k - pc);
                TC sliceBeta = pc == 0 ? beta : TC.One;
                float* packed = shared + block % SharedBuffers * blockFloats;
                for (int item; (item = Interlocked.Increment(ref nextPanels[block]) - 1) < packItems;)
                {
                    if (block >= SharedBuffers)
                        progress.WaitAllDone(block - SharedBuffers);
                    int first = item * PanelsPerPackItem * panel, count = Math.Min(size - first, PanelsPerPackItem * panel);
                    if (bShared)
                        GemmPacking.PackB(b + pc * ldb + outer + first, ldb, kc, count, nr, packed + (nint)first * kc);
                    else
                        GemmPacking.PackA(a + (outer + first) * lda + pc, lda, count, kc, mr, packed + (nint)first * kc, scratch);
                    progress.Packed(block);
                }
                progress.WaitPacked(block, packItems);
                for (int item; (item = Interlocked.Increment(ref nextItems[block]) - 1) < items;)
                {
                    // The previous K slice of this part of C (the previous block, same outer) adds to C first.
                    if (pc > 0)
                        progress.WaitDone(block - 1, item);
                    int start = item * itemSize;
                    if (bShared)
                    {
                        MultiplyBBlock(shape, a, c, alpha, sliceBeta, blocking, start, Math.Min(start + itemSize, m), outer, size, pc, kc, packed, own, scratch, edge);
                    }
                    else
                    {
                        int width = Math.Min(itemSize, n - start);
                        GemmPacking.PackB(b + pc * ldb + start, ldb, kc, width, nr, own);
                        MultiplyABlock(c, ldc, alpha, sliceBeta, outer, size, start, width, kc, packed, own, edge);
                    }
                    progress.Done(block, item);
                }
            }
        }
    }

    // A packed block of A (mc × kc at row ic) times a packed block of B (kc × nc at column jc), added to C: each A
    // micro-panel stays in L1 while it sweeps the B block in L2.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyABlock<TC>(TC* c, nint ldc, TC alpha, TC sliceBeta, int ic, int mc, int jc, int nc, int kc,
        float* aPacked, float* bPacked, float* edge) where TC : unmanaged, INumberBase<TC>
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int m = Math.Min(mr, mc - ir);
            float* aPanel = aPacked + (nint)ir * kc;
            TC* cRow = c + (ic + ir) * ldc + jc;
            for (int jr = 0; jr < nc; jr += nr)
                RunTile(kc, aPanel, bPacked + (nint)jr * kc, cRow + jr, ldc, m, Math.Min(nr, nc - jr), alpha, sliceBeta, edge);
        }
    }

    // One packed block of B (kc × nc at row pc, column jc) times rows rowStart … rowEnd of A, added to C.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyBBlock<T, TC>(GemmShape shape, T* a, TC* c, TC alpha, TC sliceBeta, GemmBlocking blocking,
        int rowStart, int rowEnd, int jc, int nc, int pc, int kc, float* bPacked, float* aPacked, float* scratch, float* edge)
        where T : unmanaged where TC : unmanaged, INumberBase<TC>
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        nint lda = shape.K, ldc = shape.N;
        int mcBlock = RoundUp(blocking.Mc, mr);
        for (int ic = rowStart, mc; ic < rowEnd; ic += mc)
        {
            mc = Math.Min(mcBlock, rowEnd - ic);
            GemmPacking.PackA(a + ic * lda + pc, lda, mc, kc, mr, aPacked, scratch);
            // Each A micro-panel comes from L2 and the B micro-panel stays in L1; the next B micro-panel
            // (from L3) is fetched a slice per tile while this one is in use.
            int panelLines = nr * kc / 16, linesPerTile = DivideUp(panelLines, DivideUp(mc, mr));
            for (int jr = 0; jr < nc; jr += nr)
            {
                int n = Math.Min(nr, nc - jr);
                float* bPanel = bPacked + (nint)jr * kc;
                float* nextB = jr + nr < nc ? bPanel + (nint)nr * kc : bPanel;
                for (int ir = 0, tile = 0; ir < mc; ir += mr, tile++)
                {
                    for (int line = tile * linesPerTile, last = Math.Min(line + linesPerTile, panelLines); line < last && Sse.IsSupported; line++)
                        Sse.Prefetch1(nextB + line * 16);
                    RunTile(kc, aPacked + (nint)ir * kc, bPanel, c + (ic + ir) * ldc + jc + jr, ldc, Math.Min(mr, mc - ir), n, alpha, sliceBeta, edge);
                }
            }
        }
    }

    // One tile of C, m × n of the kernel's Mr × Nr. A whole FP32 tile goes straight to C. A partial tile, or any tile of an
    // INT32 C, is computed whole into the edge scratch (zero padding) and merged: the part inside C, converted (exactly,
    // see CpuMatrixMultiplier) and added in the accumulator's type.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunTile<TC>(int kc, float* aPanel, float* bPanel, TC* c, nint ldc, int m, int n, TC alpha, TC beta, float* edge)
        where TC : unmanaged, INumberBase<TC>
    {
        if (typeof(TC) == typeof(float) && m == TKernel.Mr && n == TKernel.Nr)
        {
            TKernel.Run(kc, aPanel, bPanel, (float*)c, ldc, Unsafe.BitCast<TC, float>(alpha), Unsafe.BitCast<TC, float>(beta));
        }
        else
        {
            // The kernel prefetches the tile it writes, here the scratch: fetch C's rows instead, for the merge after the
            // kernel's kc steps (without it an INT8 product ran about 15 % below FP32, as the kernels do without theirs).
            // Only where SSE exists: the scalar kernel also runs on processors without it, where the call would throw.
            for (int i = 0; i < m && Sse.IsSupported; i++)
            {
                Sse.Prefetch0(c + i * ldc);
                Sse.Prefetch0(c + i * ldc + n - 1);
            }
            TKernel.Run(kc, aPanel, bPanel, edge, TKernel.Nr, 1, 0);
            MergeEdge(edge, TKernel.Nr, c, ldc, m, n, alpha, beta);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeEdge<TC>(float* tile, int ldt, TC* c, nint ldc, int rows, int columns, TC alpha, TC beta) where TC : unmanaged, INumberBase<TC>
    {
        for (int i = 0; i < rows; i++)
        {
            float* source = tile + i * ldt;
            TC* destination = c + i * ldc;
            int j = 0;
            if (typeof(TC) == typeof(int) && Vector256.IsHardwareAccelerated)
            {
                Vector256<int> va = Vector256.Create(Unsafe.BitCast<TC, int>(alpha)), vb = Vector256.Create(Unsafe.BitCast<TC, int>(beta));
                for (; j + 8 <= columns; j += 8)
                {
                    Vector256<int> x = va * Vector256.ConvertToInt32(Vector256.Load(source + j));
                    if (beta != TC.Zero)
                        x += vb * Vector256.Load((int*)destination + j);
                    Vector256.Store(x, (int*)destination + j);
                }
            }
            for (; j < columns; j++)
            {
                TC x = alpha * TC.CreateTruncating(source[j]);
                destination[j] = beta == TC.Zero ? x : x + beta * destination[j];
            }
        }
    }

    private static void Scale<TC>(TC* c, int length, TC beta) where TC : unmanaged, INumberBase<TC>
    {
        var span = new Span<TC>(c, length);
        if (beta == TC.Zero)
            span.Clear();
        else if (beta != TC.One)
        {
            foreach (ref TC x in span)
                x *= beta;
        }
    }

    // Equal slices of K (2048 under Kc 320: 7 of 293, not 6 of 320 and one of 128, whose short k loop would add C's
    // load and store to every tile once more for little work); never more than K, so it also sizes the packed blocks.
    private static int KcStep(int k, GemmBlocking blocking) => EvenBlock(k, blocking.Kc, 1);

    private static int DivideUp(int value, int divisor) => (value + divisor - 1) / divisor;

    private static long DivideUp(long value, long divisor) => (value + divisor - 1) / divisor;

    private static int RoundUp(int value, int multiple) => DivideUp(value, multiple) * multiple;

    // The step that splits length into as few blocks of at most block (a multiple of multiple) as possible, all but
    // the last equal and a multiple of multiple: at most block, and at most length rounded up.
    private static int EvenBlock(int length, int block, int multiple) => RoundUp(DivideUp(length, DivideUp(length, block)), multiple);
}
