# Assert-test driver for Ruby programs (runs inside the jail).
# stdin: a one-time token on the first line, then the test code, both read (raw reads) before the
# program loads: the program can read neither, and the test file is not on disk. The token is
# kept as integers in this method's frame, never a String (ObjectSpace lists every String).
#
# The test libraries the tests require are loaded first, and every method of every module that
# exists then is recorded. The program is loaded as a file of its own (its locals are not the
# tests', and `__FILE__ == $0` is false, as for a file a test loads). Before the tests run, what
# the program replaced is put back: a method it redefined gets its original definition, one it
# removed comes back, one it defined on a test framework's module or a core class over an
# inherited one is removed, and a program that changed a recorded module's ancestors
# (`prepend`, `include`) in a way that can override one of its methods, or that shadowed a
# Kernel method the tests' control flow relies on (`raise`, `exit`, ...), is refused (a runtime
# error). The tests then run, and so does their framework's runner (test/unit, minitest), called
# here rather than from its at_exit hook: the token is printed only when it reported success and
# no recorded method (nor one of the tests' classes, recorded before the runner ran them)
# changed meanwhile, and the process then ends with the original `exit!`, so no at_exit hook,
# trap or finalizer of the program runs after the verdict (`at_exit { exit!(true) }` cannot turn
# a failure into a pass).
module VerifierAsserts
  RELIED = %i[
    raise fail exit exit! abort at_exit require require_relative load catch throw loop
    lambda proc send public_send __send__ respond_to? is_a? kind_of? instance_of? nil?
    == != ! equal? eql? === =~ class freeze frozen? method instance_variable_get
  ].freeze
  REQUIRE = /^\s*require\s*\(?\s*['"]([\w\/.-]+)['"]/
  FRAMEWORKS = /\A(?:Test::Unit|Minitest|MiniTest)(?:::|\z)/
  # What test/unit loads only when its runner starts.
  TEST_UNIT_RUNNER = %w[
    test/unit/collector/descendant test/unit/ui/console/testrunner test/unit/testresult
    test/unit/ui/testrunnermediator test/unit/code-snippet-fetcher
    test/unit/fault-location-detector
  ].freeze
  BASE = [Object, Kernel, BasicObject].freeze
  CORE = [Integer, Float, Numeric, String, Symbol, Array, Hash, Range, NilClass, TrueClass,
          FalseClass, Rational, Complex, Comparable, Enumerable].freeze

  def self.run(program)
    exit_now = Process.method(:exit!)
    ARGV.clear # as for `ruby main.rb`
    token = read_token
    tests = $stdin.read.to_s
    $stdin.reopen(File::NULL)
    GC.start # the read buffers, gone before the program can list them
    load_libraries(tests)
    runners = runners_of(tests)
    saved = snapshot
    relied = resolved_methods
    report = $stderr.method(:write)
    status = load_program(program, report)
    exit_now.call(status) unless status.nil?
    broken = restore(saved, relied)
    unless broken.nil?
      report.call("the program replaced #{broken}, which the tests rely on\n")
      exit_now.call(1)
    end
    passed = run_tests(tests, runners, report) { |classes| relied += resolved_of(classes) }
    changed = changed(saved, relied)
    report.call("the program replaced #{changed} while the tests ran\n") unless changed.nil?
    finish(passed && changed.nil?, token, exit_now)
  end

  def self.read_token
    codes = []
    while (byte = $stdin.sysread(1).ord) != 10
      codes << byte if byte > 32
    end
    codes
  rescue EOFError
    codes
  end

  # The tests' libraries, and `pp`, which test/unit loads when it reports a failure (it would
  # replace Kernel#pp then).
  def self.load_libraries(tests)
    require 'pp'
    tests.scan(REQUIRE) do |(library)|
      require library
    rescue LoadError
      nil # the tests' own require fails as it would have
    end
    TEST_UNIT_RUNNER.each { |library| require library } if defined?(Test::Unit::AutoRunner)
  end

  # The test frameworks' runners, taken before the program runs.
  def self.runners_of(tests)
    runners = {}
    runners[:test_unit] = Test::Unit::AutoRunner.method(:run) if defined?(Test::Unit::AutoRunner)
    runners[:minitest] = Minitest.method(:run) if defined?(Minitest) && tests =~ /minitest/
    runners
  end

  def self.snapshot
    modules = ObjectSpace.each_object(Module).to_a
    snapshot_of(modules + modules.reject(&:singleton_class?).map(&:singleton_class))
  end

  def self.snapshot_of(modules)
    modules.uniq.map do |mod|
      names = mod.instance_methods(false) + mod.private_instance_methods(false)
      methods = names.to_h { |name| [name, [mod.instance_method(name), visibility(mod, name)]] }
      [mod, mod.ancestors, methods]
    end
  end

  # The methods as the test frameworks' modules and the core classes resolve them (their own and
  # those they inherit), and the Kernel methods the tests' control flow relies on as Object
  # resolves them: a method the program adds to one of them that shadows an inherited one is
  # a replacement too.
  def self.resolved_methods
    frameworks = ObjectSpace.each_object(Module).select { |m| m.name&.match?(FRAMEWORKS) }
    relied = RELIED.to_h { |name| [name, Object.instance_method(name)] }
    resolved_of(frameworks + CORE).push([Object, relied])
  end

  # (Kernel's and Object's methods are left to Object's entry: a top-level `def format` of the
  # program's shadows them for every class.)
  def self.resolved_of(modules)
    modules.uniq.map do |mod|
      names = mod.instance_methods + mod.private_instance_methods
      methods = names.to_h { |name| [name, mod.instance_method(name)] }
      [mod, methods.reject { |_, method| BASE.include?(method.owner) }]
    end
  end

  def self.visibility(mod, name)
    return :private if mod.private_method_defined?(name)

    mod.protected_method_defined?(name) ? :protected : :public
  end

  # nil: the program ran to its end; otherwise the exit status it ends with (its own exit, or
  # 1 for an error).
  def self.load_program(program, report)
    load(program)
    nil
  rescue SystemExit => e
    e.status
  rescue Exception => e # rubocop:disable Lint/RescueException
    report.call("#{e.class}: #{e.message}\n#{e.backtrace&.first(5)&.join("\n")}\n")
    1
  end

  # Put back what the program replaced; what it changed beyond that, if anything.
  def self.restore(saved, relied)
    saved.each do |mod, ancestors, methods|
      return "the ancestors of #{mod}" unless ancestors_kept?(mod, ancestors)

      methods.each do |name, (original, visibility)|
        next if same_method?(mod, name, original, visibility)

        mod.send(:define_method, name, original)
        mod.send(visibility, name)
      end
    rescue FrozenError, TypeError, NameError
      return "a method of #{mod}"
    end
    unshadow(relied)
    shadowed(relied)
  end

  # Remove what the program defined on a framework module or core class over an inherited method.
  def self.unshadow(relied)
    relied.each do |mod, methods|
      next if mod == Object

      methods.each do |name, original|
        next if resolves?(mod, name, original) || !own_methods(mod).include?(name)

        mod.send(:remove_method, name) if original.owner != mod
      end
    end
  end

  def self.shadowed(relied)
    relied.each do |mod, methods|
      found = methods.find { |name, original| !resolves?(mod, name, original) }
      return "#{mod}##{found[0]}" if found
    end
    nil
  end

  def self.resolves?(mod, name, original)
    mod.instance_method(name) == original
  rescue NameError
    false
  end

  # What the program replaced while the tests ran (a runner's verdict computed with a method the
  # program replaced proves nothing), if anything.
  def self.changed(saved, relied)
    saved.each do |mod, ancestors, methods|
      return "the ancestors of #{mod}" unless ancestors_kept?(mod, ancestors)

      methods.each do |name, (original, visibility)|
        return "#{mod}##{name}" unless same_method?(mod, name, original, visibility)
      end
    end
    shadowed(relied)
  end

  def self.same_method?(mod, name, original, visibility)
    mod.instance_method(name) == original && visibility(mod, name) == visibility
  rescue NameError
    false
  end

  def self.own_methods(mod)
    mod.instance_methods(false) + mod.private_instance_methods(false)
  end

  # A module may gain ancestors that override none of its methods (`include Math` at the top
  # level adds to Object): one it gains ahead of itself (`prepend`), or that defines a method
  # one of the ancestors after it had, is refused.
  def self.ancestors_kept?(mod, ancestors)
    now = mod.ancestors
    return true if now == ancestors
    return false if now.index(mod) != ancestors.index(mod) || !(ancestors - now).empty?

    now.each_with_index.all? do |added, index|
      next true if ancestors.include?(added)

      later = (now[index + 1..] & ancestors).flat_map { |ancestor| own_methods(ancestor) }
      !own_methods(added).intersect?(later)
    end
  end

  # Runs the tests' code, gives the block the classes it defined (recorded before their runner
  # runs them), then runs the runner; whether they passed.
  def self.run_tests(tests, runners, report)
    before = ObjectSpace.each_object(Class).to_a
    eval(tests, TOPLEVEL_BINDING.dup, "tests", 1) # rubocop:disable Security/Eval
    yield ObjectSpace.each_object(Class).to_a - before
    return runners[:test_unit].call if test_cases?(:test_unit)
    return runners[:minitest].call([]) if runners.key?(:minitest)

    true
  rescue SystemExit, Exception => e # rubocop:disable Lint/RescueException
    report.call("#{e.class}: #{e.message}\n#{e.backtrace&.first(5)&.join("\n")}\n")
    false
  end

  def self.test_cases?(framework)
    framework == :test_unit && defined?(Test::Unit::TestCase) &&
      ObjectSpace.each_object(Class).any? { |c| c < Test::Unit::TestCase }
  end

  def self.finish(passed, token, exit_now)
    $stdout.flush
    $stderr.flush
    STDOUT.flush
    if passed == true
      out = IO.for_fd(1, autoclose: false)
      out.syswrite("\n\x1eVERIFIER_DONE #{token.pack('C*')}\n")
      exit_now.call(0)
    end
    exit_now.call(1)
  end
end

VerifierAsserts.run(ARGV[0])
