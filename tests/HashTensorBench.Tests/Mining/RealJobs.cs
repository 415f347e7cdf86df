namespace HashTensorBench.Tests.Mining;

/// <summary>Real Stratum and block data, each with where it comes from.</summary>
internal static class RealJobs
{
    // Mainnet block 100,000 (000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506): its header and
    // its four transactions, split out of the raw block. The raw block is public chain data, copied from the
    // BLOCK_HEX vector of a public Rust indexer's tests (a copy of mainnet block 100,000); the tests below check
    // it against the block's known hash and merkle root. Bitcoin Core's src/bench/data/block413567.raw, the
    // block the issue names, is binary and could not be read from the source snapshots available here.
    public const string Block100000Hash = "000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506";
    public const string Block100000MerkleRoot = "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766";
    public const string Block100000Header =
        "0100000050120119172a610421a6c3011dd330d9df07b63616c2cc1f1cd00200000000006657a9252aacd5c0b2940996ecff952228c3067cc38d4885efb5a4ac4247e9f337221b4d4c86041b0f2b5710";
    public static readonly string[] Block100000Transactions =
    [
        "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff08044c86041b020602ffffffff0100f2052a010000004341041b0e8c2567c12536aa13357b79a073dc4444acb83c4ec7a0e2f99dd7457516c5817242da796924ca4e99947d087fedf9ce467cb9f7c6287078f801df276fdf84ac00000000",
        "0100000001032e38e9c0a84c6046d687d10556dcacc41d275ec55fc00779ac88fdf357a187000000008c493046022100c352d3dd993a981beba4a63ad15c209275ca9470abfcd57da93b58e4eb5dce82022100840792bc1f456062819f15d33ee7055cf7b5ee1af1ebcc6028d9cdb1c3af7748014104f46db5e9d61a9dc27b8d64ad23e7383a4e6ca164593c2527c038c0857eb67ee8e825dca65046b82c9331586c82e0fd1f633f25f87c161bc6f8a630121df2b3d3ffffffff0200e32321000000001976a914c398efa9c392ba6013c5e04ee729755ef7f58b3288ac000fe208010000001976a914948c765a6914d43f2a7ac177da2c2f6b52de3d7c88ac00000000",
        "0100000001c33ebff2a709f13d9f9a7569ab16a32786af7d7e2de09265e41c61d078294ecf010000008a4730440220032d30df5ee6f57fa46cddb5eb8d0d9fe8de6b342d27942ae90a3231e0ba333e02203deee8060fdc70230a7f5b4ad7d7bc3e628cbe219a886b84269eaeb81e26b4fe014104ae31c31bf91278d99b8377a35bbce5b27d9fff15456839e919453fc7b3f721f0ba403ff96c9deeb680e5fd341c0fc3a7b90da4631ee39560639db462e9cb850fffffffff0240420f00000000001976a914b0dcbf97eabf4404e31d952477ce822dadbe7e1088acc060d211000000001976a9146b1281eec25ab4e1e0793ff4e08ab1abb3409cd988ac00000000",
        "01000000010b6072b386d4a773235237f64c1126ac3b240c84b917a3909ba1c43ded5f51f4000000008c493046022100bb1ad26df930a51cce110cf44f7a48c3c561fd977500b1ae5d6b6fd13d0b3f4a022100c5b42951acedff14abba2736fd574bdb465f3e6f8da12e2c5303954aca7f78f3014104a7135bfe824c97ecc01ec7d7e336185c81e2aa2c41ab175407c09484ce9694b44953fcb751206564a9c24dd094d42fdbfdd5aad3e063ce6af4cfaaea4ea14fbbffffffff0140420f00000000001976a91439aa3d569e06a1d7926dc4be1193c99bf2eb9ee088ac00000000",
    ];

    // Block 100,000's coinbase as a pool would split it: its scriptSig 04 4c86041b | 02 06 02 is cut after the
    // nBits push, so "0206" plays extranonce1 and "02" a 1-byte extranonce2. The notify below is written by
    // hand from the block (previous hash word-swapped, branches in internal order); nothing in it is made up.
    public const string Block100000Coinbase1 = "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff08044c86041b";
    public const string Block100000Extranonce1 = "0206";
    public const string Block100000Extranonce2 = "02";
    public const string Block100000Coinbase2 =
        "ffffffff0100f2052a010000004341041b0e8c2567c12536aa13357b79a073dc4444acb83c4ec7a0e2f99dd7457516c5817242da796924ca4e99947d087fedf9ce467cb9f7c6287078f801df276fdf84ac00000000";
    public const uint Block100000Nonce = 0x10572b0f;
    public const string Block100000Notify =
        "[\"186a0\",\"1901125004612a1701c3a621d930d31d36b607df1fccc2160002d01c00000000\","
        + "\"" + Block100000Coinbase1 + "\",\"" + Block100000Coinbase2 + "\","
        + "[\"c40297f730dd7b5a99567eb8d27b78758f607507c52292d02d4031895b52f2ff\",\"49aef42d78e3e9999c9e6ec9e1dddd6cb880bf3b076a03be1318ca789089308e\"],"
        + "\"00000001\",\"1b04864c\",\"4d1b2237\",true]";

    // ESP-Miner (github.com/bitaxeorg/ESP-Miner, components/stratum/test/test_mining.c, "Test nonce diff checking 2"):
    // a real Braiins Pool job from May 2023 as its firmware received it, the merkle root it computes, and the
    // share nonce 0x0a029ed1, whose difficulty the test gives as 683 (truncated).
    public const string EspPreviousHash = "0c859545a3498373a57452fac22eb7113df2a465000543520000000000000000";
    public const int EspVersion = 0x20000004;
    public const uint EspBits = 0x1705ae3a;
    public const uint EspTime = 0x647025b5;
    public const uint EspNonce = 0x0a029ed1;
    public const string EspCoinbase =
        "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4b0389130cfabe6d6d5cbab26a2599e92916edec5657a94a0708ddb970f5c45b5d12905085617eff8e010000000000000031650707758de07b010000000000001cfd7038212f736c7573682f000000000379ad0c2a000000001976a9147c154ed1dc59609e3d26abb2df2ea3d587cd8c4188ac00000000000000002c6a4c2952534b424c4f434b3ae725d3994b811572c1f345deb98b56b465ef8e153ecbbd27fa37bf1b005161380000000000000000266a24aa21a9ed63b06a7946b190a3fda1d76165b25c9b883bcc6621b040773050ee2a1bb18f1800000000";
    public static readonly string[] EspBranches =
    [
        "2b77d9e413e8121cd7a17ff46029591051d0922bd90b2b2a38811af1cb57a2b2",
        "5c8874cef00f3a233939516950e160949ef327891c9090467cead995441d22c5",
        "2d91ff8e19ac5fa69a40081f26c5852d366d608b04d2efe0d5b65d111d0d8074",
        "0ae96f609ad2264112a0b2dfb65624bedbcea3b036a59c0173394bba3a74e887",
        "e62172e63973d69574a82828aeb5711fc5ff97946db10fc7ec32830b24df7bde",
        "adb49456453aab49549a9eb46bb26787fb538e0a5f656992275194c04651ec97",
        "a7bc56d04d2672a8683892d6c8d376c73d250a4871fdf6f57019bcc737d6d2c2",
        "d94eceb8182b4f418cd071e93ec2a8993a0898d4c93bc33d9302f60dbbd0ed10",
        "5ad7788b8c66f8f50d332b88a80077ce10e54281ca472b4ed9bbbbcb6cf99083",
        "9f9d784b33df1b3ed3edb4211afc0dc1909af9758c6f8267e469f5148ed04809",
        "48fd17affa76b23e6fb2257df30374da839d6cb264656a82e34b350722b05123",
        "c4f5ab01913fc186d550c1a28f3f3e9ffaca2016b961a6a751f8cca0089df924",
        "cff737e1d00176dd6bbfa73071adbb370f227cfb5fba186562e4060fcec877e1",
    ];

    /// <summary>The merkle root ESP-Miner's test expects, as the bytes go into the header.</summary>
    public const string EspMerkleRootInternal = "5bdc1968499c3393873edf8e07a1c3a50a97fc3a9d1a376bbf77087dd63778eb";

    // ESP-Miner, same file, "Check coinbase tx construction": coinbase parts, extranonce1, extranonce2 and the result.
    public const string EspCoinbase1 = "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008";
    public const string EspCoinbase2 = "072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000";
    public const string EspExtranonce1 = "e9695791";
    public const string EspExtranonce2 = "99999999";
    public const string EspCoinbaseBuilt =
        "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008e969579199999999072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000";
}
